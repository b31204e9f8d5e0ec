// Package iec104 decodes IEC 60870-5-104 APDUs (APCI and ASDU, every
// standard type id and its information elements) and follows connections
// (sequence numbers, activations and their confirmations), without
// allocating.
//
// # Decoding
//
// [Parse] decodes one APDU into a [Frame]: the APCI (start byte 0x68, length,
// I-, S- or U-format control field with N(S), N(R) or the U function) and, for
// I-frames, the ASDU header ([ASDU]: type id, SQ and number of objects, cause
// of transmission with its P/N and test bits, originator address, common
// address). [Frame.Decode] does the same in place. The information objects
// are walked with a cursor,
//
//	objs := f.ASDU.Objects()
//	for objs.Next() {
//		o := objs.Object()
//		v, ok := o.Float()
//	}
//	if err := objs.Err(); err != nil { ... }
//
// ranged over with [ASDU.All],
//
//	for i, o := range f.ASDU.All {
//		v, ok := o.Float()
//	}
//
// or fetched by index with [ASDU.At]. For the common shape (SQ=0, 3-octet
// addresses, fixed element size) Parse checks the count with one
// multiplication (count times object size against the bytes left) and the
// cursor and All then step at a fixed stride without further checks per
// object; All, whose loop the compiler inlines with the caller's loop body,
// also inside a closure, is the fastest way to decode every element.
//
// With SQ=0 each object carries its own address, with SQ=1 the first
// address is followed by consecutive elements. An [Object] decodes its
// element on demand through typed accessors that report false when the type
// has no such part: quality descriptors (SIQ, DIQ, QDS, QDP) as bit types,
// step positions, bitstrings, normalized, scaled and short-float values,
// binary counter readings, protection events, commands (SCO, DCO, RCO, set
// points with QOS, select/execute), system command qualifiers (QOI, QCC,
// QRP, COI), parameters (QPM, QPA), file transfer fields, and CP24Time2a and
// CP56Time2a time tags with their invalid and summer-time bits. Qualifiers
// that are enumerations ([QOI], [CounterRequest], [Freeze], [QRP], [QPA],
// [KPA], [InitCause], [CommandQualifier], [DoublePoint]) have Known, String
// and AppendText like [TypeID], [Cause], [UFunction] and [Format].
//
// For a monitoring consumer [Object.Value], [Object.Quality], [Object.Time]
// and [Object.Command] reduce any element to one typed value, one set of
// quality flags, one time (a CP24Time2a placed in the hour of the capture
// time) and a decoded command; [TypeID.Operation] classifies type ids into
// operations (read, control, write, restart, time sync, diagnostics,
// configuration, file, end of initialisation).
//
// # Field sizes: Config
//
// IEC 60870-5-101 lets a system choose the sizes of the cause of
// transmission (1 or 2 octets), the common address (1 or 2) and the object
// address (1, 2 or 3); nothing in the bytes says which. [Config] carries
// them, so that IEC 101 profiles ([Profile101]) and vendor variants decode
// with [Config.Parse], [Config.Decode] and [Config.ParseASDU]; the zero
// Config is IEC 104, whose sizes IEC 60870-5-104 fixes and which [Parse],
// [Frame.Decode], [ParseASDU] and [Conn] use. Config is this package's
// addition to the grammar the protocol packages share.
//
// # Aliasing and lifetime
//
// A Frame is a small value. Frame.Raw, ASDU.Raw, [ASDU.Body], Object.Raw and
// File.Segment are sub-slices of the bytes given to Parse: they are valid as
// long as those bytes are and must be copied ([Frame.AppendBinary]) to be
// kept after the buffer is reused. A [Message] lives in its Conn and is valid
// until the Conn's next call. Nothing in the package allocates but the
// String of an unknown enum value or of several flags, [Explain], and a
// Conn's table of pending activations, made on the connection's first
// activation; a zero-allocation test covers Parse, Decode, the cursor and
// All (also inside a closure), the accessors, Split and Resync, every Conn
// path, the String and AppendText methods and every error path.
//
// # Errors and anomalies
//
// Errors are constants of type [Error]: [ErrTruncated] (more bytes are
// needed: fewer than the length octet says, n == 0), [ErrShortASDU] (an
// ASDU header cut inside a whole APDU), [ErrStart] (no 0x68), [ErrLength] (length octet
// below 4), [ErrCount] (the number of objects does not fit the ASDU's bytes;
// this is found from the count and the element size before any loop runs,
// and the cursor then yields only the whole objects that fit), [ErrConfig].
// On ErrShortASDU and on ErrCount the fields that were
// present are still set, and n is the APDU's length. [Explain] decodes again
// and returns a *[FieldError] with the Wireshark name of the field where
// decoding stopped and its offset.
//
// Oddities that do not stop decoding are [Anomaly] flags: on the frame,
// unknown type ids (kept raw, with their body in [ASDU.Body]), trailing
// bytes, a U-frame without exactly one function bit, reserved control bits,
// S- and U-frames longer than 4, zero objects, unknown causes, a length
// octet above 253; on a Conn's Message, the connection flags below.
//
// # Stream framing
//
// [Split] is a bufio.SplitFunc for TCP port 2404 ([Port]): it cuts APDUs by
// their length octet, several per call, asks for more data for a partial
// APDU, and skips bytes up to the next 0x68 after garbage, at most
// [MaxSkip] per call (returning advance > 0 and a nil token). Like
// Wireshark it passes on an APDU whose length octet is below 4, which Parse
// then rejects with ErrLength, so that both cut a garbage-laden stream at
// the same places. At EOF a partial APDU is returned as the last token, on
// which Parse reports ErrTruncated. Split never fails.
//
// Split bounds its commitment to a length octet: an APDU whose head passes
// every check the bytes allow (the checks of Resync below) is cut at once;
// any other head (an oddity such as an unknown type id, a count that
// disagrees with the length, a U- or S-frame of another length than 4) is
// passed on as Wireshark frames it only if no APDU that Resync accepts
// starts inside the octets it claims. Otherwise it is skipped up to that
// APDU (or up to the oddities whose own length octets lead to it), so that
// a bogus length octet never swallows the valid APDUs behind it. IEC 104
// lets a length octet claim at most 255 octets, and the ASDU header, the
// first 12 octets, already says whether the claim holds; Split reads only
// bytes already buffered and rejects a contradicted claim as soon as the
// APDU it hides is there.
//
// [Resync] is Split for the bytes after a stream gap or at a capture that
// starts mid-connection: it accepts an APDU only when its head passes
// every check: start byte, a length octet from 4 to 253, a control field
// valid for its format (U-frame: exactly one function bit, the other
// octets zero, length 4; S-frame: reserved bits zero, length 4; I-frame:
// reserved bit zero), for an I-frame a known type id and cause and a
// number of objects and SQ bit that, with the type's element size (or the
// segment lengths of F_SG_NA_1) and the configured field sizes, give
// exactly the claimed length; and a start byte right after it (waiting for
// that byte before EOF). Use Resync until it delivers an APDU, then Split.
// Over every stream of the corpus framed from every offset (as after a
// hole ending there, or in a capture starting there), it finds the first
// APDU after the damage and delivers no phantom; the only APDUs it passes
// over are the malformed ones of Wireshark's test capture
// (iti-iec104-TestDissectIec104.pcap: length octets below 4, I-frames
// without a whole ASDU header, U- and S-frames of length 5 and 6), which
// are indistinguishable from garbage when nothing before them is known.
// [Config.Split] and [Config.Resync] frame with other field sizes.
//
// # Connections: Conn
//
// A [Conn] follows one connection, both directions, fed every APDU in
// order with [Conn.Decode]. It reports on [Message.Anomalies]: N(S) gaps and
// duplicates, N(R) acknowledging I-frames never sent or going backwards,
// more than k outstanding I-frames, acknowledgements covering more than w
// (defaults k=12, w=8, or Conn.K and Conn.W), I-frames after STARTDT act
// before its con or after STOPDT; and the pairing flags
// AnomalyUnmatchedResponse, AnomalyMismatchedResponse,
// AnomalyPendingOverflow, AnomalyDuplicateRequest and
// AnomalySelectMismatch.
//
// Pairing: a U-frame act (STARTDT, STOPDT, TESTFR) with its con from the
// other side. An activation (cause 6) or deactivation (8) of a command,
// system command or parameter type, and a read (C_RD_NA_1, cause 5), is
// kept per type id, common address and first object address; a
// confirmation (7, 9, with the P/N bit), a termination (10) or a negative
// mirror (44..47) of the same type and address from the other side answers
// the oldest one waiting, and a reply to a read is monitoring data of the
// read's address with cause 5. Data with causes 20..36 and 37..41 between
// the confirmation and termination of a station, group or counter
// interrogation (C_IC_NA_1, C_CI_NA_1; the qualifier names the cause, a
// broadcast common address matches any) is attributed to it. The execute
// of a single, double or regulating step command or set point after a
// confirmed select (S/E bit) of the same object sets [Message.Selected],
// and AnomalySelectMismatch when its command differs. A paired Message
// carries the activation as the Conn kept it in [Message.Request] (APCI,
// header and first object, decoded again) and its time in RequestTime. An
// I-frame whose N(S) repeats (a retransmission the capture kept) is not
// paired. [Conn.Flush] yields the activations left without confirmation
// when the connection ends; [Conn.Reset] prepares the Conn for a new one.
// [Conn.Gap] tells the Conn that bytes of one direction were lost: the
// sequence numbers of that direction start afresh and the data transfer
// state becomes unknown, while pending activations are kept, so that a
// confirmation after the gap still pairs.
//
// The zero Conn assumes the capture may begin mid-connection; when the first
// APDU it sees is a STARTDT act it takes that as the start of the
// connection (sequence numbers from 0, no data transfer before STARTDT con).
// Its first replies to activations sent before the capture began are
// reported unmatched.
//
// Size: unsafe.Sizeof(Conn{}) is 464 bytes on 64-bit platforms. The table of
// [MaxPending] (16) pending activations, 640 bytes, is allocated on a
// connection's first activation and kept across Reset, so that a sensor
// holding one Conn per flow pays for it only on connections that carry
// commands. When the table is full the oldest answered entry (a confirmed
// select or command) gives way, else the oldest waiting activation, counted
// in [ConnStats] Overflow and Unanswered.
//
// # Specifications
//
// IEC 60870-5-104:2006 (APCI, control field formats, k and w, STARTDT,
// STOPDT, TESTFR), IEC 60870-5-101:2003 clause 7 (ASDU structure, type ids,
// causes, information elements, the select and execute procedure, station
// and counter interrogation), IEC 60870-5-4 (CP24Time2a, CP56Time2a, bit and
// octet order: multi-octet values least significant octet first). Field
// names in internal/dissect and Explain are Wireshark's (iec60870_104.*,
// iec60870_asdu.*); CP56Time2a years 0..69 are read as 2000..2069 and 70..99
// as 1970..1999, as Wireshark reads them.
//
// # Adding a type id
//
// Add the constant in types.go (the TypeID block and typeNames), and its
// entry in the layouts table: the element size in octets and the parts it
// holds (pSIQ, pQDS, pCP56, ...). Parts that sit at fixed places (the
// qualifier after a value, the time tag at the end) are then found by the
// existing accessors; a new kind of part needs an accessor in element.go that
// checks the type and the element length before reading, and a case in
// Object.Value or Quality (point.go) and in TypeID.Operation. Variable-size
// elements need a case in the cursor's next, in the count check of
// parseASDU and in Explain's walk, as F_SG_NA_1 has. If the type is a command
// or system command, say in tracked (conn.go) whether a Conn pairs it and in
// selectOctet where its S/E bit is. Add a test object to TestEveryType's
// expectations and, in internal/dissect, the fields Wireshark shows for it;
// build it into testdata/types.pcap (see testdata/README.md) and check
// tshark's view of it.
package iec104
