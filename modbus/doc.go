// Package modbus decodes the Modbus Application Protocol over TCP and UDP
// (MBAP header and PDU, every public function code, requests, responses and
// exceptions) without allocating.
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
// [Frame.Registers] (3, 4, 23), [Frame.WriteSingle] (5, 6),
// [Frame.ExceptionStatus] (7), [Frame.Diagnostic] (8),
// [Frame.CommEventCounter] (11), [Frame.CommEventLog] (12),
// [Frame.WriteMultipleCoils] (15), [Frame.WriteMultipleRegisters] (16),
// [Frame.WriteMultipleResponse] (15, 16), [Frame.ServerID] (17),
// [Frame.FileRecords] (20, 21), [Frame.MaskWrite] (22),
// [Frame.ReadWriteRequest] (23), [Frame.FIFOPointer] and [Frame.FIFOQueue]
// (24), [Frame.MEI], [Frame.CANopen], [Frame.DeviceIDRequest] and
// [Frame.DeviceID] (43/13, 43/14). Unknown, user-defined and vendor codes
// (Schneider UMAS on 90, ...) keep their raw bytes in [Frame.Data].
// Fixed-stride values ([Registers], [Bits]) have Len, At and an inlinable
// All; variable items ([FileRecords], [DeviceObjects]) are walked by a
// cursor with Next, the current item and Err.
//
// # Direction
//
// Requests and responses of most function codes have different layouts, so
// Parse takes a [Direction]. Over TCP and UDP the client sends to the
// server's port (502 unless configured otherwise): an ADU toward that port is
// a [Request], one from it a [Response]; [DirectionFromPorts] says so.
// With [DirUnknown] Parse decodes the header, exceptions and the layouts that
// are the same both ways (function codes 5, 6, 8, 22 and the MEI type of 43)
// and the direction-specific accessors report false; Parse does not guess.
//
// # Aliasing and lifetime
//
// A Frame, and every slice, [Registers], [Bits] or cursor obtained from it,
// views the bytes given to Parse: it is valid as long as those bytes are and
// must be copied (for example with bytes.Clone on Frame.PDU) to be kept
// after the caller's buffer is reused. Nothing in this package allocates:
// Parse, Frame.Decode, ParseUDP, ParsePDU, Split, every accessor and cursor,
// and the String and Error methods of single values (a multi-flag
// Anomaly.String allocates the joined name once; Anomaly.Name and
// Anomaly.All do not).
//
// # Errors and anomalies
//
// Errors are sentinel values of type [Error]: [ErrTruncated] (the input ends
// before a fixed field or before the bytes a byte count announces),
// [ErrLength] (MBAP length below 2, no function code) and [ErrByteCount].
// An exception response is not a decoding error: [Frame.Err] returns its
// [ExceptionCode], which implements error without allocating.
//
// Anomalies are what is odd but decodable: protocol id not 0, length field
// disagreeing with the bytes, byte count disagreeing with the quantity,
// quantity outside the specification's range (for example more than 125
// registers), reserved or unassigned function codes, unknown exception,
// sub-function or MEI codes, bytes after the layout, an object count that
// disagrees, a PDU over 253 bytes. They are flags in [Frame.Anomalies];
// decoding goes on.
//
// # Stream framing
//
// [Split] is a bufio.SplitFunc that cuts ADUs out of one direction of a TCP
// stream: several ADUs per segment, one ADU across segments, and resync after
// garbage. It accepts a header with protocol id 0 and a length field from 2
// to [MaxLengthField] (the rule Wireshark applies, with room for vendor
// PDUs slightly over the specification's size); anything else is skipped
// byte by byte, at most [MaxSkip] bytes per call, returned as an advance with
// a nil token so that callers can count skipped bytes. Modbus/UDP carries one
// ADU per datagram: decode it with [ParseUDP], which also flags bytes beyond
// the length field. [ParsePDU] decodes a PDU without MBAP header.
//
// # Specifications
//
// MODBUS Application Protocol Specification V1.1b3 (function codes, layouts,
// quantity limits, exception codes, Read Device Identification objects) and
// MODBUS Messaging on TCP/IP Implementation Guide V1.0b (MBAP header, port
// 502). Field names in the command line and the differential test follow
// Wireshark's Modbus/TCP dissector (mbtcp.*, modbus.*).
//
// # Adding a function code
//
// Give the code a named [FunctionCode] constant and a name in functionNames,
// and its class in [FunctionCode.Class] if it is public. Add its layout check
// to Frame.decodeOther (fixed lengths with fixed, byte-counted tails with
// counted, quantity ranges with quantity), returning ErrTruncated only when a
// fixed field is missing. Add a typed accessor returning (T, bool) that
// checks the function, the direction and the length itself, and a cursor if
// its items vary in size. Then add real bytes to the table tests, a line to
// the allocation table, a seed to the fuzz corpus, and the fields to
// internal/dissect.
package modbus
