// Package iec104 decodes IEC 60870-5-104 APDUs (APCI and ASDU, every standard
// type id and its information elements) and tracks the send and receive
// sequence numbers of a connection, without allocating.
//
// # Decoding
//
// [Parse] decodes one APDU into a [Frame]: the APCI (start byte 0x68, length,
// I-, S- or U-format control field with N(S), N(R) or the U function) and, for
// I-frames, the ASDU header ([ASDU]: type id, SQ and number of objects, cause
// of transmission with its P/N and test bits, originator address, common
// address). The information objects are walked with a cursor,
//
//	for it := f.ASDU.Objects(); it.Next(); {
//		o := it.Item()
//		v, ok := o.Float()
//	}
//
// ranged over with [ASDU.All],
//
//	for o := range f.ASDU.All() {
//		v, ok := o.Float()
//	}
//
// or fetched by index with [ASDU.At]. For the common shape (SQ=0, 3-octet
// addresses, fixed element size) Parse checks the count with one
// multiplication (count times object size against the bytes left) and the
// cursor and All then step at a fixed stride without further checks per
// object; All, whose loop the compiler inlines into the caller, is the
// fastest way to decode every element. In hot loops declare the cursor before
// the loop (it := a.Objects(); for it.Next() {...}): since Go 1.22 a
// variable declared in a for statement is copied at every iteration when its
// address is taken, as the cursor's is on its slow path.
//
// With SQ=0 each object carries its own
// address, with SQ=1 the first address is followed by consecutive elements.
// An [Object] decodes its element on demand through typed accessors that
// report false when the type has no such part: quality descriptors (SIQ,
// DIQ, QDS, QDP) as bit types, step positions, bitstrings, normalized,
// scaled and short-float values, binary counter readings, protection events,
// commands (SCO, DCO, RCO, set points with QOS, select/execute), system
// command qualifiers (QOI, QCC, QRP, COI), parameters (QPM, QPA), file
// transfer fields, and CP24Time2a and CP56Time2a time tags with their
// invalid and summer-time bits.
//
// Field sizes are configurable with [Config] (cause of transmission 1 or 2
// octets, common address 1 or 2, object address 1, 2 or 3), so IEC 101
// profiles ([Profile101]) and vendor variants decode with [Config.Parse] and
// [Config.ParseASDU]; the zero Config is IEC 104.
//
// # Aliasing and lifetime
//
// A Frame is a small value. Frame.Raw, ASDU.Raw, [ASDU.Body], Object.Raw and
// File.Segment are sub-slices of the bytes given to Parse: they are valid as
// long as those bytes are and must be copied (bytes.Clone) to be kept after
// the buffer is reused. Nothing in the package allocates: Parse, the cursor,
// the accessors, Split, the Tracker, the String methods and every error path
// are covered by a zero-allocation test.
//
// # Errors and anomalies
//
// Errors are constant sentinels of type [Error]: [ErrStart] (no 0x68),
// [ErrTruncated] (fewer bytes than the length octet or the ASDU header
// needs), [ErrLength] (length octet below 4), [ErrCount] (the number of
// objects does not fit the ASDU's bytes; this is found from the count and the
// element size before any loop runs, and the cursor then yields only the
// whole objects that fit), [ErrConfig]. On ErrTruncated inside the ASDU
// header and on ErrCount the fields that were present are still set.
//
// Oddities that do not stop decoding are [Anomaly] flags on the frame:
// unknown type ids (kept raw, with their body in [ASDU.Body]), trailing
// bytes, a U-frame without exactly one function bit, reserved control bits,
// S- and U-frames longer than 4, zero objects, unknown causes, a length
// octet above 253.
//
// # Sequence tracking
//
// A [Tracker] is a small value kept per connection and fed every frame of
// both directions. It reports, as anomalies, N(S) gaps and duplicates, N(R)
// acknowledging I-frames never sent or going backwards, more than k
// I-frames outstanding, acknowledgements covering more than w I-frames
// (defaults k=12, w=8), I-frames before STARTDT is confirmed or after
// STOPDT, and confirmations without activation. The zero Tracker assumes a
// capture that begins mid-connection; [Tracker.Start] marks the connection's
// start, [Tracker.Resync] forgets sequence numbers after lost bytes.
//
// # Stream framing
//
// [Split] is a bufio.SplitFunc for TCP port 2404: it cuts APDUs by their
// length octet, several per call, asks for more data for a partial APDU, and
// skips bytes up to the next 0x68 after garbage (returning advance > 0 and a
// nil token; the skip is bounded by the data given and Split never fails).
// Like Wireshark it passes on an APDU whose length octet is below 4, which
// Parse then rejects with ErrLength, so that both cut a garbage-laden stream
// at the same places.
//
// # Specifications
//
// IEC 60870-5-104:2006 (APCI, control field formats, k and w, STARTDT,
// STOPDT, TESTFR), IEC 60870-5-101:2003 clause 7 (ASDU structure, type ids,
// causes, information elements), IEC 60870-5-4 (CP24Time2a, CP56Time2a, bit
// and octet order: multi-octet values least significant octet first). Field
// names in internal/dissect are Wireshark's (iec60870_104.*,
// iec60870_asdu.*); CP56Time2a years 0..69 are read as 2000..2069 and 70..99
// as 1970..1999, as Wireshark reads them.
//
// # Adding a type id
//
// Add the constant and its mnemonic in types.go (the TypeID block and
// String), and its entry in the layouts table: the element size in octets
// and the parts it holds (pSIQ, pQDS, pCP56, ...). Parts that sit at fixed
// places (the qualifier after a value, the time tag at the end) are then
// found by the existing accessors; a new kind of part needs an accessor in
// element.go that checks the type and the element length before reading.
// Variable-size elements need a case in the cursor's Next and in the count
// check of parseASDU, as F_SG_NA_1 has. Add a test object to TestEveryType's
// expectations and, in internal/dissect, the fields Wireshark shows for it.
package iec104
