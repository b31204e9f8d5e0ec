// Package s7comm decodes Siemens S7 communication, TPKT and COTP headers
// included, and the header of S7comm-plus, without allocating; its Conn
// adds what a connection knows: reassembly, request/response pairing, the
// request's context in its response and what the connection negotiated.
//
// # What it decodes
//
//   - TPKT (RFC 1006) and COTP class 0 (ISO 8073): CR, CC, DR, DC, DT, ED,
//     AK, EA, RJ and ER TPDUs with their parameters (TPDU size, calling and
//     called TSAP, with the rack and slot of two-byte S7 TSAPs), see
//     [ParseCOTP] and [COTP].
//   - The S7comm header (protocol id 0x32): ROSCTR, PDU reference,
//     parameter and data lengths, error class and code ([ParsePDU], [PDU]).
//   - Job and ack-data functions: setup communication, read and write var
//     with every item syntax (S7ANY, DBREAD, 1200SYM, NCK, DRIVEESANY) and
//     the data items with their values, the block transfer functions
//     (request download, download block, download ended, start upload,
//     upload, end upload), PI services (with _INSE/_DELE block lists and
//     NC arguments) and PLC stop.
//   - Userdata: the parameter head of every function group and typed
//     decoders for read SZL, the alarm and notification messages and ALARM
//     query, diagnostic messages, the message service, time functions (BCD
//     timestamps), block functions (list blocks, list blocks of type, block
//     info), cyclic data, programmer commands (variable status, modify
//     variable, force, job control) and security (PLC password). Other
//     subfunctions keep their payload as bytes.
//   - SZL records: typed decoders for module identification (0xXY11: order
//     number, hardware and firmware versions), component identification
//     (0x001C: PLC and module names, plant id, copyright, serial numbers,
//     module type, OEM ids, location), communication capabilities (0x0131),
//     protection (0x0132), CPU mode (0x0424, [CPUState]), LEDs (0xXY74),
//     diagnostic buffer entries (0x00A0) and the list of SZL ids (0x0000);
//     any other list as raw records ([SZL.Records]).
//   - Values typed by the transport size of the item that asked for them
//     ([Values]): BOOL, BYTE, CHAR, WORD, INT, DWORD, DINT, REAL, S7
//     STRING, DATE, TIME_OF_DAY, TIME, S5TIME, DATE_AND_TIME, COUNTER and
//     TIMER, and arrays of them.
//   - S7comm-plus (protocol id 0x72): version, length, integrity digest,
//     opcode, function, sequence number, session id ([ParsePlus]). It is
//     never read as S7comm, and digests of any length are accepted.
//   - A classification of what each PDU does ([PDU.Operation], [OpClass]):
//     PLC start and stop, block transfer, PI services by kind
//     ([PIServiceKind]), userdata functions, for monitoring tools to map to
//     control, program, time sync, identity query, authentication or
//     diagnostics.
//
// Timers and counters (areas T and C, and the IEC timers and counters of
// the S7-200) are addressed by number, not by byte and bit:
// [Item.Number] answers for those areas and [Item.Byte] and [Item.Bit] for
// the others.
//
// # Aliasing and lifetime
//
// [Parse] returns a small [Frame] value whose byte slices alias the input;
// it is valid as long as the input is. Accessors such as [PDU.Items],
// [PDU.DataItems], [PDU.ReadSZL] and [PDU.Alarm] decode on demand from those
// views and return values and cursors that alias them too.
// [Frame.Decode] is Parse into an existing Frame, for hot loops: it builds
// the frame in place instead of returning a 200-byte value.
//
// A [Conn] returns a *[Message] that points into the Conn: its views alias
// the input packet or the Conn's buffers (a reassembled message, the stored
// request) and it is valid until the Conn's next call. [Message.Clone]
// keeps one longer.
//
// Nothing in the package allocates: Parse, every accessor and cursor, typed
// values, Split, every path of Conn (once its buffers exist), the error
// paths and AppendText; String allocates only to print an unknown value or
// several anomaly flags. Explain and Clone are the slow paths that do
// (tests assert all of this).
//
// Repeats of fixed size ([ReturnCodes], [SZLRecords], [BlockCounts],
// [BlockEntries]) have Len, At (false out of range) and All; variable ones
// are cursors named for the plural, with Next, the singular accessor and
// Err. Declare the cursor before the loop (Next takes its address, and a
// cursor declared in a three-clause for statement is copied every
// iteration since Go 1.22):
//
//	items := f.PDU.Items()
//	for items.Next() {
//		use(items.Item())
//	}
//	if err := items.Err(); err != nil { ... }
//
// # Errors and anomalies
//
// Errors are the sentinels of type [Error] ([ErrTruncated], [ErrLength],
// [ErrTPKT], [ErrCOTP], [ErrProtocolID], [ErrOverflow]). ErrTruncated means
// the packet is not all there and comes with n == 0; once the TPKT header
// gives a usable length, Parse returns it as n whatever the error after it.
// [Explain] decodes a packet again and names the field and offset where
// decoding stopped ([FieldError]). Protocol status codes are small integer
// types ([ReturnCode], the header error class and code).
//
// Oddities that do not stop decoding are flags of the [Anomaly] set on the
// frame, on the cursors and, for the connection-level flags (unmatched,
// mismatched, duplicate request, pending overflow), on the [Message]: unknown
// function, syntax id, area, transport size, return code, function group or
// subfunction, item count or length disagreements, reserved bytes, dropped
// fragments, a missing S7comm-plus trailer, a value that disagrees with its
// type. Unknown values are kept, never rejected; every enum's String prints
// an unknown value with its number ("function 0x5a").
//
// Cursors stop at their count or at the end of their section, whichever
// comes first; Err reports a section cut short. Parameter and data parts are
// cut to the lengths in the S7 header: unlike Wireshark, this package does
// not read a parameter past its declared length.
//
// # Stream framing, reassembly and the Conn
//
// [Split] is a bufio.SplitFunc that cuts TPKT packets out of a TCP stream,
// several per call or one across calls; COTP DT fragments of a longer
// message are packets of their own. It commits to a claimed length only as
// far as the bytes it has back it: a TPKT length up to [MaxFrameLen] (a
// TPDU is at most [MaxTPDU] octets), a COTP header of a known TPDU code
// inside it and either headers of the packet that agree with its length
// (an S7 header whose lengths fill it, an S7comm-plus header whose length
// fills it with or without its trailer, an empty DT, a connection request
// or confirm) or, for any other packet, the next packet's TPKT and COTP
// headers where it ends. A claim these bytes contradict is skipped as
// garbage, so that a bogus header does not swallow the packets behind it;
// while its bytes are not there, Split waits for at most MaxFrameLen
// octets. Garbage is skipped, at most [MaxSkip] bytes per call, to the next
// header that passes Resync's full check; at the end of the stream a
// partial packet that nothing contradicts is the last token. It never
// returns an error.
//
// [Resync] is Split for the bytes after a gap or at a capture that starts
// mid-connection (pcapx uses it until it delivers a packet). It accepts a
// packet only when everything its head carries is plausible: TPKT, the
// COTP fixed part and parameters, and an S7 header (ROSCTR known,
// redundancy id 0, a known function, lengths adding up) or an S7comm-plus
// header (known version, length with or without its trailer) that fills
// the packet, or that claims more than it in the first fragment of a
// longer message; an empty DT; a connection request or confirm. A packet
// nothing in it vouches for (a DT that continues a message, other user
// data, the short connection management TPDUs) is accepted only when the
// next packet's headers follow it exactly. Over the capture corpus,
// Resync finds every packet where it starts, and a lost segment, a
// mid-stream start or a bogus length claim costs no packet the damage did
// not touch and delivers no phantom (internal/streamtest's damage table).
//
// A [Conn] per connection takes those packets in both directions. It joins
// COTP DT TPDUs without the EOT bit and userdata data units (data unit
// reference, last-data-unit flag), one message of each kind per direction,
// in buffers of [MaxCOTPMessage] and [MaxUserdataMessage] bytes. A message
// is joined from its first fragment on (one that starts with an S7comm or
// S7comm-plus header): the fragments of a message whose start was lost to
// a gap or to a capture starting in its middle are dropped and flagged
// AnomalyFragment, never joined into a message of their own. It pairs
// jobs with their ack or ack-data and userdata requests with their
// responses by PDU reference, keeps up to [MaxPending] requests waiting
// (the oldest dropped when full) and [MaxJobs] programmer-command jobs and
// cyclic-data subscriptions whose results come back as pushes, and keeps
// the called TSAP (rack and slot), what Setup Communication negotiated and
// whether S7comm-plus was seen. unsafe.Sizeof(Conn{}) is about 1.8 KB; the
// request store (20 KiB) is allocated on the first request and the
// reassembly buffers of a direction on its first fragment, all kept across
// Reset.
//
// # Specifications
//
// TPKT follows RFC 1006 section 6 and COTP ISO 8073 / X.224 class 0.
// S7comm has no public specification: field layouts follow Wireshark's S7
// dissector (packet-s7comm.c and packet-s7comm_szl_ids.c), the de facto
// reference, and the field names of the internal dissect package are
// Wireshark's. The differential test (internal/conformance) compares this
// package with tshark 4.0 on every S7comm capture of the corpus; the known
// disagreements, all cases of Wireshark reading past a declared parameter
// length, are listed with their bytes in
// internal/conformance/testdata/divergences/s7comm.tsv. SZL record layouts
// follow Siemens' "System Software for S7-300/400 System and Standard
// Functions" manual as Wireshark decodes them. Element formats of the typed
// values (BCD counters and S5TIME, DATE from 1990-01-01) are Siemens' data
// types as libnodave and Snap7 read them; timers and counters are addressed
// by number as libnodave addresses them (Wireshark 4.0 shows the number for
// T and C only). S7comm-plus header fields follow the public
// s7commwireshark plugin's description.
//
// # Adding a function code, subfunction or SZL list
//
// Add the code as a named constant of its enum type ([Function],
// [SyntaxID], [Area], the Sub* constants) and a case to its name method
// (Known, String and AppendText follow, and so does the anomaly flag), and
// a case to [PDU.Operation] and [Operation.Class]. For a job function, add
// an accessor on [PDU] that checks [PDU.Function] and decodes p.Param and
// p.Data with internal/wire; for a userdata subfunction, add an accessor
// that checks [PDU.Userdata] (group, subfunction, type) and decodes
// [UserdataData.Payload] only when it is decodable (last data unit). If its
// response needs the request, the Conn's pending entry keeps it
// ([Message.Request]). For an SZL list, add a Parse function over one
// record and a case in the dissector's SZL switch. Add a table test with
// real bytes from a capture, a row in the allocation table and a seed in
// samples_test.go.
package s7comm
