// Package modbus decodes the Modbus Application Protocol over TCP and UDP
// (MBAP header and PDU, every public function code, requests, responses and
// exceptions, and the header of Schneider's UMAS) without allocating, and
// pairs the responses of a connection with their requests.
//
// # Decoding
//
// [Parse] decodes one ADU into a [Frame]: the MBAP header fields, the
// function code, the exception code of an exception response, a set of
// [Anomaly] flags and a view of the PDU. Function-specific data is read on
// demand by typed accessors, one per layout, each returning (T, bool).
// [Frame.Decode] does the same into a caller-owned Frame, overwriting it,
// which saves copying the result on the hottest paths:
//
//	f, n, err := modbus.Parse(adu, modbus.Response)
//	if regs, ok := f.Registers(); ok {
//		for i, v := range regs.All { ... }
//	}
//
// Accessors: [Frame.ReadRequest] (codes 1–4), [Frame.Bits] (1, 2),
// [Frame.Registers] (3, 4, 23), [Frame.Counted] (every layout with a byte
// count), [Frame.WriteSingle] (5, 6), [Frame.ExceptionStatus] (7),
// [Frame.Diagnostic] (8), [Frame.CommEventCounter] (11),
// [Frame.CommEventLog] (12), [Frame.WriteMultipleCoils] (15),
// [Frame.WriteMultipleRegisters] (16), [Frame.WriteMultipleResponse] (15,
// 16), [Frame.ServerID] (17), [Frame.FileRecords] (20, 21),
// [Frame.MaskWrite] (22), [Frame.ReadWriteRequest] (23),
// [Frame.FIFOPointer] and [Frame.FIFOQueue] (24), [Frame.MEI],
// [Frame.CANopen], [Frame.DeviceIDRequest] and [Frame.DeviceID] (43/13,
// 43/14), [Frame.UMAS] (90). Other user-defined and vendor codes keep their
// raw bytes in [Frame.Data].
//
// Fixed-stride values ([Registers], [Bits]) have Len, At (which reports
// false out of range) and All, used as range-over-func. Registers also
// read 32-bit integers and floats, and 64-bit floats, in either
// [WordOrder]. Variable items ([FileRecords], [Objects]) are walked by a
// cursor named for the plural, with Next, the singular accessor and Err.
//
// Every code type is an open enum with Known, String (an unknown value
// prints with its number: "function 0x41") and AppendText.
// [Frame.Operation] classifies a request for monitoring (read, write,
// diagnostics, control, identity, file, program, reservation), from its
// function code, Diagnostics sub-function, MEI type or [UMASFunction].
//
// # Direction
//
// Requests and responses of most function codes have different layouts and
// nothing in the bytes says which an ADU is, so Parse and Frame.Decode take
// a [Direction] after the bytes: this is the one place where this package
// departs from the signatures the other protocol packages share. Over TCP
// and UDP the client sends to the server's port (502 unless configured
// otherwise): an ADU toward that port is a [Request], one from it a
// [Response]; [DirectionFromPorts] says so. With [DirUnknown] Parse decodes
// the header, exceptions and the layouts that are the same both ways
// (function codes 5, 6, 8, 22, 90 and the MEI type of 43) and the
// direction-specific accessors report false; Parse does not guess.
//
// # Connections
//
// A [Conn] holds the state of one connection, both directions: the
// requests waiting for their responses (at most [MaxPending]). Its
// [Conn.Decode] returns a [Message]: the frame, its direction and time,
// and for a response the request it answers (paired by transaction id and
// unit id, when the response's function code, exception bit cleared, is
// the request's). A response is decoded in its request's context only then:
// [Message.Bits] are cut to the request's quantity and numbered from its
// start, [Message.Registers] numbered from its start (as Wireshark numbers
// them), [Message.FileRecords] name the file and record each read came
// from. A response with no pending request of its ids is flagged
// AnomalyUnmatchedResponse; one whose function does not answer the pending
// request is AnomalyMismatchedResponse and is not decoded in its context;
// a request reusing the ids of a pending one is AnomalyDuplicateRequest
// (both stay pending; a response pairs with the most recent request of its
// ids and function, as Wireshark pairs them); a request arriving at a full
// table drops the oldest (AnomalyPendingOverflow, counted unanswered).
// [Conn.Flush] yields the requests never answered when the connection
// ends. The zero Conn is ready; [Conn.Reset] reuses one for a new
// connection. A Conn is a fixed 1.3 KB value (unsafe.Sizeof 1328 bytes on
// 64-bit platforms); the first request longer than 45 bytes allocates a
// 4.2 KB table for long request copies, kept across Reset. Nothing else
// allocates.
//
// # Aliasing and lifetime
//
// A Frame, and every slice, [Registers], [Bits] or cursor obtained from it,
// views the bytes given to Parse: it is valid as long as those bytes are and
// must be copied (for example with bytes.Clone on Frame.PDU) to be kept
// after the caller's buffer is reused. A [Message] points into its Conn
// (Message.Request views the Conn's copy of the request) and is valid until
// the Conn's next call; [Message.Clone] keeps one. Nothing in this package
// allocates on these paths: Parse, Frame.Decode, ParseUDP, ParsePDU, Split,
// Resync, every accessor and cursor, Conn.Decode and Conn.Flush, the AppendText
// methods, the Error methods, and String of known values and of a single
// anomaly flag. String of an unknown value or of several anomaly flags
// allocates its text once; [Explain] and [Message.Clone] allocate.
//
// # Errors and anomalies
//
// Errors are sentinel values of type [Error]. [ErrTruncated] means the input
// ends before the ADU does (more bytes are needed) and comes with n == 0;
// [ErrLength] (an MBAP length below 2, or a PDU too short for its layout's
// fixed fields) and [ErrByteCount] (a byte count past the end of the PDU;
// also the Err of a cursor whose items do not fit) come with n = the ADU's
// length, so that a loop stepping over ADUs by n steps over a malformed one.
// [Explain] decodes again and names the field and offset where decoding
// stopped ([FieldError]). An exception response is not a decoding error:
// [Frame.Err] returns its [ExceptionCode], which implements error without
// allocating.
//
// Anomalies are what is odd but decodable: protocol id not 0, length field
// disagreeing with the bytes, byte count disagreeing with the quantity,
// quantity outside the specification's range (for example more than 125
// registers), reserved or unassigned function codes, unknown exception,
// sub-function or MEI codes, values outside their range, bytes after the
// layout, an object count that disagrees, a PDU over 253 bytes. They are
// flags in [Frame.Anomalies]; decoding goes on. The connection-level flags
// of a Conn are in [Message.Anomalies].
//
// # Stream framing
//
// [Split] is a bufio.SplitFunc that cuts ADUs out of one direction of a TCP
// stream that is in sync: several ADUs per segment, one ADU across
// segments. A header is plausible with protocol id 0 and a length field
// from 2 to [MaxLengthField] (the rule Wireshark applies, with room for
// vendor PDUs slightly over the specification's size); bytes that start
// none are skipped, at most [MaxSkip] per call, returned as an advance with
// a nil token so that callers can count skipped bytes. Split bounds its
// commitment to a length field: it takes it at its word when the
// function's layout fixes the length to that (a read request is 6 long,
// its response 3 plus an even byte count), and otherwise only while the
// bytes do not contradict it: an ADU inside the claimed span that [Resync]
// accepts, or a claimed end that cannot start a header, makes Split skip
// the header, so that a bogus length cannot swallow the ADUs behind it.
// Such a decision rests on the bytes buffered, so a stream cut differently
// into segments may be framed differently there, and only there. At EOF a
// partial ADU with a plausible header is returned as the last token (Parse
// reports ErrTruncated), unless its layout contradicts its length.
//
// [Resync] frames the bytes after a gap, or of a capture that starts in
// the middle of a connection, until it returns its first ADU (then Split
// takes over). It accepts an ADU only when it convinces, as a request or
// as a response: a known function with the length its layout fixes, clean
// for Parse, and three plausible headers after it; or an ADU of an open
// layout (vendor functions) or an odd one, whose following ADUs chain to
// it (same unit id, transaction ids a few apart) and inside whose span no
// better ADU starts. It looks at most a few ADUs ahead (it waits for them,
// or decides at EOF) and never depends on how the stream is cut. Every ADU
// of the corpus's Modbus streams is found by Resync started on it, and a
// lost segment or a mid-stream start costs only the ADUs the missing bytes
// touch (internal/streamtest's damage table).
//
// Modbus/UDP carries one ADU per datagram: decode it with [ParseUDP] or a
// Conn, which also flag bytes beyond the length field. [ParsePDU] decodes
// a PDU without MBAP header.
//
// # Specifications
//
// MODBUS Application Protocol Specification V1.1b3 (function codes, layouts,
// quantity limits, exception codes, Diagnostics sub-functions, Read Device
// Identification objects and conformity levels) and MODBUS Messaging on
// TCP/IP Implementation Guide V1.0b (MBAP header, port 502, transaction
// pairing). UMAS has no public specification; see [UMASFunction] for the
// sources of its codes. Field names in [Explain], the command line and the
// differential test follow Wireshark's Modbus/TCP dissector (mbtcp.*,
// modbus.*).
//
// # Adding a function code
//
// Give the code a named [FunctionCode] constant and a name in functionNames,
// its class in [FunctionCode.Class] if it is public, and its operation in
// [FunctionCode.Operation]. Add its layout check to Frame.decodeOther (fixed
// lengths with fixed, byte-counted tails with counted, quantity ranges with
// quantity), returning ErrLength when a fixed field is missing and
// ErrByteCount when a count runs past the end, and its fields to the walker
// of Explain. Add a typed accessor returning (T, bool) that checks the
// function, the direction and the length itself, and a cursor if its items
// vary in size; if a response needs its request to be understood, a
// Message method that reads Message.Request. Then add real bytes to the
// table tests, a line to the allocation table, a seed to the fuzz corpus,
// and the fields to internal/dissect.
package modbus
