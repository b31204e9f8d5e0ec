// Package dnp3 decodes DNP3 (IEEE 1815) link frames, transport segments,
// application fragments and their objects, without allocating.
//
// # Layers
//
// A link frame starts with 0x05 0x64, a length, a control octet
// ([Control]: DIR, PRM, FCB/FCV or DFC and the function code) and the
// destination and source addresses, protected by a CRC-16/DNP; its user data
// follows in blocks of 16 octets, each with its own CRC. [Decoder.Decode]
// ([Decoder.DecodeFrame] in place) verifies every CRC and copies the user
// data without them into the Decoder's fixed scratch buffer. The first user data octet is the transport
// header ([TransportHeader]: FIR, FIN, 6-bit sequence); a [Reassembler]
// joins segments into application fragments, and a [Transport] keeps one
// Reassembler per link (source, destination, direction).
//
// [ParseFragment] ([Fragment.Decode] in place) decodes the application
// header ([AppControl]: FIR, FIN,
// CON, UNS, SEQ; the [FunctionCode]; [IIN] on responses). The
// [Objects] cursor walks the object headers with every qualifier code:
// start-stop ranges of 1, 2 and 4 octets, absolute addresses, counts,
// "all points", the free-format count of qualifier 0x5B, index prefixes of
// 1, 2 and 4 octets and object size prefixes. For each header the
// [Points] cursor yields [Point] values: index, flags, value and timestamp
// (48-bit milliseconds since 1970). Accessors decode the structured objects:
// [Point.Attribute] (group 0 device attributes), [Point.CROB] (groups 12),
// [Point.Auth] (group 120 secure authentication), [Point.SecurityStatistic]
// (groups 121 and 122) and the file objects of group 70.
//
// Known object groups: 0 device attributes; 1-4 binary and double-bit
// inputs and events; 10-13 binary outputs, CROB, pattern control and command
// events; 20-23 counters and frozen counters; 30-34 analog inputs, frozen
// inputs, events and deadbands; 40-43 analog output status, commands and
// events; 50-52 time, CTO and delays; 60 class data; 70 file control (size
// prefixed); 80 IIN; 81 device storage; 101-102 BCD and unsigned integers;
// 110-113 octet strings and virtual terminal; 120 secure authentication;
// 121-122 security statistics. Any size-prefixed object can be walked.
//
// # Allocation
//
// Nothing in this package allocates, except [NewReassembler] and
// [Reassembler.Init] (the fragment buffer, once), the first use of each of a
// [Transport]'s link slots (the same buffer), and [AppendLinkFrame] when its
// destination lacks capacity. Decoders, cursors, accessors, errors and enum
// String methods never do; a table test asserts it.
//
// # Aliasing and lifetime
//
// Views alias their input: a [Fragment]'s Body and an [ObjectHeader]'s
// Data alias the fragment; a [Point]'s Raw and the byte fields of the
// accessors alias it too. A [LinkFrame]'s UserData lives in the [Decoder]
// and is valid until the Decoder's next call; a completed fragment lives in
// its [Reassembler] and is valid until the Reassembler's next Add or Reset,
// except a fragment of a single segment (FIR and FIN, the common case),
// which is a view of the segment given to Add (for [Transport.Add], of the
// Decoder's scratch) and is not copied. Copy what must be kept.
//
// A [Points] cursor is a value that holds its current [Point]; write
// cursor loops as
//
//	pt := h.Points()
//	for pt.Next() { ... }
//
// rather than in a three-clause for statement, where Go (since 1.22) copies
// the address-taken cursor variable on every iteration.
//
// # The fast path
//
// Decode, ParseFragment and Fragment.Objects return values, which is
// convenient; a monitor that decodes every frame of a link keeps them in
// variables and decodes in place instead, so that nothing is copied:
//
//	var (
//		d  dnp3.Decoder
//		tr dnp3.Transport
//		f  dnp3.LinkFrame
//		a  dnp3.Fragment
//		it dnp3.Objects
//	)
//	for _, wire := range frames {
//		if _, err := d.DecodeFrame(&f, wire); err != nil { ... }
//		frag, done, _ := tr.Add(&f)
//		if !done || a.Decode(frag) != nil { continue }
//		it.Reset(a.Body, a.Func)
//		for it.Next() {
//			h, pt := it.Header(), it.Points()
//			for pt.Next() { use(h, pt.Point()) }
//		}
//	}
//
// [Objects.Points] hands out a point cursor that Next has already set up
// inside the Objects cursor, without a copy. The common headers (fixed-size
// objects; start-stop ranges, counts or all objects; index prefixes or
// none) take a short path through Next, and fixed-size objects without a
// prefix a short path through Points.Next. The benchmarks in this package
// and in bench/ measure it.
//
// # Errors and anomalies
//
// Errors are the [Error] constants ([ErrTruncated], [ErrHeaderCRC],
// [ErrCRC], [ErrUnknownObject], ...); returning one allocates nothing. A bad
// CRC is an error of its frame only: Decode still reports the frame's wire
// length so a stream goes on with the next frame. Anomalies are a bitset
// ([Anomaly]) on link frames, fragments and cursors, and decoding goes on:
// out-of-sequence, missing FIR, duplicate, restarted and overflowing
// transport segments, reserved qualifier codes, empty ranges, reserved link
// and application function codes, reserved IIN bits. An object whose group
// and variation have no known size stops the walk of its fragment with
// [AnomalyUnknownObject] and [ErrUnknownObject], after the headers decoded
// so far (its header is still returned, its Data running to the end).
//
// # Stream framing
//
// Over TCP (port 20000), [Split] cuts link frames out of a byte stream: it
// verifies the header CRC so that it resynchronises on the next 0x05 0x64
// whose header checks, skips garbage in bounded steps (returning advance > 0
// and no token) and asks for more data for a frame cut across segments.
// Over UDP a datagram holds one or more whole link frames: decode them in a
// loop on the wire length Decode returns.
//
// # Specifications
//
// IEEE 1815-2012 (DNP3): clause 9 for the link layer and its CRC
// (polynomial 0x3D65), clause 8 for the transport function, clause 4 for
// application headers, function codes, IIN and qualifiers, annex A for the
// object library, clause 7 for secure authentication version 5. The object
// sizes follow the object library; where Wireshark 4.0 decodes differently
// (it does not wrap the transport sequence from 63 to 0, does not know
// g51v2, g86 or g120 objects, and reads group 0 attributes of an undefined
// data type octet by octet) internal/conformance lists the cases with
// evidence.
//
// # Adding a function code or an object group
//
// A function code is a [FunctionCode] constant and a name in funcNames (or
// the String switch); if its objects carry no data, add it to headerOnly.
// An object group needs its size in fixedSize (octets per object, or
// sizeBits for packed bits; size-prefixed objects need nothing), its value
// layout in layoutOf (and decodeLayout for a new kind of field), and, if it
// is structured, an accessor on [Point]. The cursors read both through the
// typeInfo tables, which are built from them when the package loads.
// Add a table test with real bytes and a fuzz seed.
package dnp3
