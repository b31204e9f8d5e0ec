// Package s7comm decodes Siemens S7 communication, TPKT and COTP headers
// included, and the header of S7comm-plus, without allocating.
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
//     upload, end upload), PI services (with _INSE/_DELE block lists) and
//     PLC stop.
//   - Userdata: the parameter head of every function group and typed
//     decoders for read SZL, the alarm and notification messages and ALARM
//     query, diagnostic messages, the message service, time functions (BCD
//     timestamps), block functions (list blocks, list blocks of type, block
//     info), cyclic data, programmer commands (variable status, modify
//     variable, force) and security (PLC password). Other subfunctions keep
//     their payload as bytes.
//   - SZL records: typed decoders for module identification (0xXY11),
//     component identification (0x001C), communication capabilities
//     (0x0131), protection (0x0132), CPU mode (0x0424), LEDs (0xXY74) and
//     diagnostic buffer entries (0x00A0); any other list through
//     [SZL.Records] as raw records.
//   - S7comm-plus (protocol id 0x72): version, length, integrity digest,
//     opcode, function, sequence number, session id ([ParsePlus]). It is
//     never read as S7comm, and digests of any length are accepted.
//
// # Aliasing and lifetime
//
// [Parse] returns a small [Frame] value whose byte slices alias the input;
// it is valid as long as the input is. Accessors such as [PDU.Items],
// [PDU.DataItems], [PDU.ReadSZL] and [PDU.Alarm] decode on demand from those
// views and return values and cursors that alias them too. A [Decoder] keeps
// fixed buffers for COTP and userdata reassembly; a Frame it returns may
// alias those buffers and is valid until its next Decode or Reset. Copy what
// you keep. Nothing in the package allocates: Parse, every accessor and
// cursor, Split, Decode, the error paths and the String methods (a test
// asserts this).
//
// [Frame.Decode] is Parse into an existing Frame, for hot loops: it builds
// the frame in place instead of returning a 200-byte value.
//
// Cursors work in both forms below; in hot loops prefer the second. Since
// Go 1.22 the loop variable of a three-clause for statement is copied on
// every iteration when its address is taken, as Next's is, and a cursor is
// several dozen bytes:
//
//	for it := f.PDU.DataItems(); it.Next(); { use(it.Item()) }
//
//	it := f.PDU.DataItems()
//	for it.Next() { use(it.Item()) }
//
// # Errors and anomalies
//
// Errors are the sentinels of type [Error] ([ErrTruncated], [ErrLength],
// [ErrTPKT], [ErrCOTP], [ErrProtocolID], [ErrOverflow]); protocol status
// codes are small integer types ([ReturnCode], the header error class and
// code). Oddities that do not stop decoding are flags of the [Anomaly] set
// on the frame and on the cursors (unknown function, syntax id, area,
// transport size, return code, function group or subfunction, item count or
// length disagreements, reserved bytes, dropped fragments, a missing
// S7comm-plus trailer). Unknown values are kept, never rejected, and every
// enum's String method names unknown values "unknown".
//
// Cursors stop at their count or at the end of their section, whichever
// comes first; Err reports a section cut short. Parameter and data parts are
// cut to the lengths in the S7 header: unlike Wireshark, this package does
// not read a parameter past its declared length.
//
// # Stream framing and reassembly
//
// [Split] is a bufio.SplitFunc that cuts TPKT packets out of a TCP stream,
// several per call or one across calls, and resynchronises after garbage by
// skipping (at most 4 KiB per call) to the next plausible TPKT header; it
// never returns an error. COTP DT TPDUs without the EOT bit and userdata
// data units (data unit reference, last-data-unit flag) are joined by a
// [Decoder], one per direction of a connection, in buffers of
// [MaxCOTPMessage] and [MaxUserdataMessage] bytes; one message of each kind
// is in reassembly at a time.
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
// Functions" manual as Wireshark decodes them. S7comm-plus header fields
// follow the public s7commwireshark plugin's description.
//
// # Adding a function code, subfunction or SZL list
//
// Add the code as a named constant of its enum type ([Function],
// [SyntaxID], [Area], the Sub* constants) and a case to its String method
// (known() derives from String, so the anomaly flag follows). For a job
// function, add an accessor on [PDU] that checks [PDU.Function] and decodes
// p.Param and p.Data with internal/wire; for a userdata subfunction, add an
// accessor that checks [PDU.Userdata] (group, subfunction, type) and decodes
// [UserdataData.Payload] only when it is decodable (last data unit). For an
// SZL list, add a Parse function over one record and a case in the
// dissector's SZL switch. Add a table test with real bytes from a capture,
// a row in the allocation table and a seed in samples_test.go.
package s7comm
