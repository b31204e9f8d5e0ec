// Package dnp3 decodes DNP3 (IEEE 1815) link frames, transport segments,
// application fragments and their objects, and follows DNP3 connections,
// without allocating.
//
// # Layers
//
// A link frame starts with 0x05 0x64, a length, a control octet
// ([Control]: DIR, PRM, FCB/FCV or DFC and the function code) and the
// destination and source addresses, protected by a CRC-16/DNP; its user
// data follows in blocks of 16 octets, each with its own CRC. [Parse]
// ([Frame.Decode] in place) verifies every CRC and copies the user data
// without them into the [Frame]'s own fixed storage. The first user data
// octet is the transport header ([TransportHeader]: FIR, FIN, 6-bit
// sequence).
//
// A [Conn] joins the transport segments of each link into application
// fragments and pairs them (see below). [ParseFragment]
// ([Fragment.Decode] in place) decodes the application header
// ([AppControl]: FIR, FIN, CON, UNS, SEQ; the [FunctionCode]; [IIN] on
// responses). The [Objects] cursor walks the object headers ([Object])
// with every qualifier code: start-stop ranges of 1, 2 and 4 octets,
// absolute addresses, counts, "all points", the free-format count of
// qualifier 0x5B, index prefixes of 1, 2 and 4 octets and object size
// prefixes. For each header the [Points] cursor yields [Point] values:
// index, flags, value (bit, double-bit, analog integer or float, counter,
// time, delay), time and command status. A relative time (g2v3, g4v3, ...)
// is made absolute with the common time of occurrence (g51v1, g51v2) before
// it in the fragment. The cursor also reads the structured objects of its
// current point: [Points.CROB] (control relay output and pattern control
// blocks, g12), [Points.AnalogOutput] (g41, g43), [Points.Attribute]
// (group 0 device attributes: [DeviceAttribute] names them and says which
// identify the device), [Points.Interval] (g50v2, g50v4), [Points.Auth]
// (group 120 secure authentication), [Points.SecurityStatistic] (groups
// 121 and 122) and the file objects of group 70.
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
// [Operation] classifies function codes for monitoring: read, write,
// control (select, operate, direct operate), freeze, cold and warm
// restart, application start and stop, save and activate configuration,
// unsolicited enable and disable, assign class, time synchronisation
// (delay measurement, record current time and writes of group 50), file
// transfer and authentication ([Fragment.Operation], [Request.Operation]).
//
// # Conn
//
// A [Conn] is the state of one connection, both directions: give it each
// link frame as [Split] cuts it, with its direction (toServer: sent by the
// master; the DIR bit of the control octet, [Control.Dir], is only a wire
// bit) and capture time. [Conn.Decode] returns a [Message]: the link frame,
// whether it completed a fragment, the fragment, and for a response the
// context of its request ([Request]: function, sequence number, addresses
// and the request's object area, up to MaxRequestBody octets, with the
// time of the request for latency). The Conn
//
//   - reassembles the transport segments of each link (source and
//     destination address; four links at once: a fifth takes the place of
//     the least recently used one, preferably one with no fragment in
//     progress), checking FIR, FIN and sequence numbers;
//   - tracks the application sequence number of the requests of each master
//     and the unsolicited responses of each outstation
//     (AnomalyAppSequence);
//   - pairs a response with the pending request of its master and
//     outstation that has its sequence number, and a later fragment of a
//     response with the next one; a response to no request is
//     AnomalyUnmatchedResponse; a response to a request it does not answer
//     (a plain response to an authentication request, or any response with
//     the sequence number of a request that takes none, such as direct
//     operate no ack) is AnomalyMismatchedResponse and is not decoded in
//     the request's context; an authentication response to another
//     request is its challenge, and the request stays pending; requests
//     that take no response are not kept pending;
//   - counts unsolicited responses, which are not paired, and matches each
//     confirm with the response or unsolicited response that asked for it
//     (AnomalyUnmatchedConfirm);
//   - checks that an operate follows its select (the sequence number
//     before its own) with the same objects, CROBs and analog output blocks
//     with their values (AnomalyOperateWithoutSelect,
//     AnomalyOperateMismatch; Message.Selected).
//
// Pending requests live in a table of MaxPending entries: when it is full
// the oldest is dropped (AnomalyPendingOverflow) and counted unanswered;
// [Conn.Flush] reports the pending ones when the connection ends;
// [Conn.Reset] starts a new connection; [Conn.Stats] counts.
//
// After a loss of bytes in one direction (pcapx sets PDU.Gap on the next
// PDU of that direction), call [Conn.Gap] before giving the Conn that
// PDU: the fragments in progress in that direction are dropped, the rest
// of a fragment whose first segment was lost is dropped without
// AnomalyMissingFIR, and for each pair the next request's (after a loss
// from the master) or the next unsolicited response's (after a loss from
// the outstation) sequence number is not checked, nor an operate that is
// that next request against its select. Pending requests stay pending.
// The Conn learns of a gap only with the next frame of its direction, so
// the other direction's answers to lost frames, which come before it, are
// still flagged (AnomalyUnmatchedResponse, AnomalyUnmatchedConfirm). The zero value is
// ready to use. unsafe.Sizeof(Conn{}) is 1024 octets on 64-bit platforms,
// most of it the link frame of its Message: a monitor can keep one per
// flow. The reassembly buffer of a link is allocated the first time one of
// its fragments spans two segments (2 KiB, doubling up to MaxFragmentLen
// as fragments need) and is kept across Reset and across links; fragments
// of one segment, the common case, are views of the frame and need none.
//
// # Allocation
//
// Nothing in this package allocates, except a Conn's reassembly buffers
// (above), [AppendLinkFrame] when its destination lacks capacity, the
// String methods for unknown values and for several flags at once, and
// [Explain]. Decoding, cursors, accessors, errors and AppendText never do;
// a table test asserts it, every Conn path included.
//
// # Aliasing and lifetime
//
// A [Frame] holds its user data in itself: [Frame.UserData] and
// [Frame.Segment] are views of the Frame, valid until it is decoded again.
// A [Fragment]'s Body, an [Object]'s Data and [Points.Raw], and the byte
// fields of the structured accessors, alias the fragment they were decoded
// from. A [Message] and everything it holds (its Frame, its Fragment, which
// views the Frame or a reassembly buffer, its Request) live in the Conn and
// are valid until the Conn's next call. Copy what must be kept.
//
// The value constructors ([Parse], [ParseFragment], [NewObjects],
// [Object.Points]) let their input escape only if their result does, and
// [Objects.Reset] and [Objects.Points] are small enough to be inlined, so
// that walking a Frame kept on the stack does not move it to the heap.
// [Fragment.Decode] keeps a view of its input in the Fragment, which makes
// the input escape when the Fragment does.
//
// Cursors are values that hold their state; write cursor loops as
//
//	objs := frag.Objects()
//	for objs.Next() {
//		h := objs.Object()
//		pts := objs.Points()
//		for pts.Next() {
//			p := pts.Point()
//			...
//		}
//	}
//	if err := objs.Err(); err != nil { ... }
//
// rather than in a three-clause for statement, where Go (since 1.22)
// copies the address-taken cursor variable on every iteration.
//
// # The fast path
//
// A monitor that decodes every frame of a connection keeps a Conn and an
// Objects cursor and decodes in place, so that nothing is copied:
//
//	var (
//		c    dnp3.Conn
//		objs dnp3.Objects
//	)
//	for _, wire := range frames {
//		m, err := c.Decode(wire, toServer, ts)
//		if err != nil || !m.Complete {
//			continue
//		}
//		objs.Reset(m.Fragment.Body, m.Fragment.Func)
//		for objs.Next() {
//			pts := objs.Points()
//			for pts.Next() {
//				use(pts.Point())
//			}
//		}
//	}
//
// [Objects.Points] hands out the point cursor that Next has set up inside
// the Objects cursor, without a copy. The common headers (fixed-size
// objects; start-stop ranges, counts or all objects; index prefixes or
// none) take a short path through Next, and fixed-size objects and packed
// bits without a prefix a short path through Points.Next; a [Point] is
// small enough (four fields, 32 octets) for the compiler to keep in
// registers. The benchmarks in this package and in bench/ measure it.
//
// # Errors and anomalies
//
// Errors are the [Error] constants ([ErrTruncated], [ErrStart],
// [ErrLength], [ErrHeaderCRC], [ErrCRC], [ErrUnknownObject], [ErrRange]);
// returning one allocates nothing. ErrTruncated means more bytes are
// needed and comes with n == 0. A bad data block CRC is an error of its
// frame only: Parse reports the frame's wire length with ErrCRC so that a
// stream goes on with the next frame. [Explain] decodes a frame again and
// names the field and offset where decoding stopped, in a [*FieldError].
//
// Anomalies are a set of flags ([Anomaly]) on frames, fragments, object
// walks and Conn messages, and decoding goes on: reserved link and
// application function codes, reserved IIN bits, reserved qualifier codes,
// empty ranges, counts on objects without data; out-of-sequence, missing
// FIR, duplicate, restarted and overflowing transport segments; the
// connection anomalies above. An object whose group and variation have no
// known size stops the walk of its fragment with AnomalyUnknownObject and
// ErrUnknownObject, after the headers decoded so far (its header is still
// returned, its Data running to the end); [Objects.Partial] and
// [Points.Partial] return what could be decoded of a header or an object
// cut short.
//
// # Stream framing
//
// Over TCP (port 20000), [Split] cuts link frames out of a byte stream: it
// verifies the header CRC so that it resynchronises on the next 0x05 0x64
// whose header checks, skips garbage in bounded steps (returning advance >
// 0 and no token, at most MaxSkip bytes per call) and asks for more data
// for a frame cut across segments. At EOF a partial frame with a plausible
// header is the last token, which Parse reports as ErrTruncated.
//
// A header's length commits Split to at most MaxFrameLen octets, and not
// blindly: a header with a good CRC whose claimed span holds a valid link
// header while one of its data blocks fails its CRC is not a frame (an
// injected header, or one left by damage, claiming more than follows it),
// and Split skips to the header inside, deciding as each block arrives; so
// does a claim cut by the end of the stream with a valid header inside
// it. A real frame whose data block CRC is bad has no header inside and is
// framed whole, as before: Parse reports ErrCRC for it alone. Over the
// corpus, framing is unchanged by this rule and a bogus header claiming
// 255 octets costs no frame behind it.
//
// [Resync] frames the bytes after a gap or at a capture that starts in the
// middle of a connection, until it delivers a frame. DNP3's full
// plausibility is the header CRC, which Split already requires, so Resync
// is Split except that at EOF it skips a partial header whose CRC cannot
// be checked. Over UDP a datagram holds one or more whole link frames:
// decode them in a loop on the wire length Parse returns.
//
// # Specifications
//
// IEEE 1815-2012 (DNP3): clause 9 for the link layer and its CRC
// (polynomial 0x3D65), clause 8 for the transport function, clause 4 for
// application headers, function codes, IIN, qualifiers, sequence numbers,
// confirms and select-before-operate, annex A for the object library,
// clause 7 for secure authentication version 5. The object sizes follow the
// object library; where Wireshark 4.0 decodes differently (it does not wrap
// the transport sequence from 63 to 0, does not know g51v2, g86 or g120
// objects, and reads group 0 attributes of an undefined data type octet by
// octet) internal/conformance lists the cases with evidence.
//
// # Adding a function code or an object group
//
// A function code is a [FunctionCode] constant, a name in funcNames (or the
// name switch) and an [Operation] in opOfFunc; if its objects carry no
// data, add it to headerOnly; if it takes no response, to
// [FunctionCode.NoResponse]. An object group needs its size in fixedSize
// (octets per object, or sizeBits for packed bits; size-prefixed objects
// need nothing but a line in variableKnown), its value layout in layoutOf
// (and decodeLayout for a new kind of field), and, if it is structured, an
// accessor on [Points]. The cursors read both through the typeInfo tables,
// which are built from them when the package loads. Add a table test with
// real bytes and a fuzz seed.
package dnp3
