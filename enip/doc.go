// Package enip decodes EtherNet/IP encapsulation and the CIP messages it
// carries, without allocating: the 24-byte encapsulation header and every
// command, Common Packet Format items, implicit I/O on UDP 2222, CIP message
// router requests and replies, EPATHs with every segment type, and the
// services and objects that matter for monitoring (Multiple Service Packet,
// Forward Open/Close, Unconnected Send, Logix tag services, Execute PCCC,
// Identity, TCP/IP Interface and Ethernet Link attributes).
//
// # Decoding
//
// [Parse] decodes one encapsulation PDU into a [Frame]; [Frame.Items] walks
// its CPF items with a cursor:
//
//	f, n, err := enip.Parse(pdu)
//	for it := f.Items(); it.Next(); {
//		item := it.Item()
//		switch item.Type {
//		case enip.ItemUnconnectedData:
//			m, err := enip.ParseMessage(item.Data)
//			...
//		case enip.ItemListIdentity:
//			id, ok := item.Identity()
//		}
//	}
//
// [Frame.CIP] is the fast path to the CIP message of SendRRData and
// SendUnitData (address item plus data item), with the cursor as fallback.
// For loops that decode many PDUs, [Frame.Decode], [Frame.DecodeCIP] and
// [Message.Decode] decode in place into caller-owned values (as gopacket's
// DecodingLayer does); they are the fastest forms, since nothing large is
// returned by value.
//
// [ParseMessage] decodes a CIP request or reply into a [Message]: service,
// reply bit, request path ([Path]) or general and additional status, and a
// view of the service data. Typed accessors decode that data by service:
// [Message.Multiple] (a cursor over a Multiple Service Packet's embedded
// messages), [Message.ForwardOpen], [Message.ForwardOpenReply],
// [Message.ForwardClose], [Message.UnconnectedSend] (the embedded request
// and its route path), [Message.TagRequest] and [Message.TagReply] (Logix
// Read/Write Tag, fragmented and read-modify-write, with typed [Value]s),
// [Message.AttributeList] and [Message.PCCC]. Objects are decoded with
// [ParseIdentity], [Identity.SetAttribute], [ParseInterfaceConfig],
// [ParseHostName] and [ParseMAC].
//
// The same service code means different things on different classes
// (0x52 is Unconnected Send on the Connection Manager and Read Tag
// Fragmented on a Logix tag). [ContextOf] and [Message.Context] derive the
// [Context] from the request path; [Service.Name] names a code in a
// context. A reply carries no path: callers that pair replies with requests
// (as internal/dissect does) use the request's context.
//
// [Path.Segments] walks an EPATH segment by segment: port segments (with
// extended link addresses and port numbers), logical segments (class,
// instance, member, attribute, connection point, service id, extended
// logical; 8-, 16- and 32-bit, and electronic keys), network segments,
// symbolic segments (ASCII, double- and triple-byte, numeric), data segments
// (simple and ANSI extended symbol) and data type segments.
// [Path.Target] sums up the logical address and [Path.AppendTag] spells a
// Logix tag name such as "Program:Main.Motor[3].Speed".
//
// Implicit I/O datagrams are decoded with [ParseIO]. A [Tracker] remembers,
// in fixed-size tables, the connections that Forward Open requests and
// replies establish, so an I/O datagram's connection id can be mapped to
// its RPIs, sizes, transport class and connection path.
//
// # Aliasing and lifetime
//
// Frames, items, messages, paths, segments and values are small values that
// hold sub-slices of the input: they are valid as long as the input is and
// must be copied (for example with append) to be kept past it. Nothing in
// the package retains the input after a call returns, except the [Tracker],
// which copies the first 64 bytes of a connection path.
//
// # Errors and anomalies
//
// Errors are the sentinels of type [Error] ([ErrTruncated], [ErrLength],
// [ErrSegment], [ErrService], [ErrCount]); protocol status codes are small
// integer types ([Status] for encapsulation, [GeneralStatus] for CIP) that
// implement error. Cursors stop at the first error and report it with Err;
// views decoded before the error stay valid. No failure path allocates.
//
// Oddities that do not stop decoding are [Anomaly] flags: unknown commands,
// status codes, item types, services, segment types, general status codes
// and data types, non-zero options, trailing bytes. Unknown codes are kept as
// they are (open enums), never rejected.
//
// # Stream framing
//
// [Split] is a bufio.SplitFunc for the TCP 44818 stream: it returns each
// complete PDU (24 + length bytes), asks for more when one is cut, and after
// bytes that cannot start a header (unknown command, non-zero options) skips
// forward to the next plausible header, never past the buffered data. UDP
// payloads are one PDU each (port 44818) or one I/O datagram ([ParseIO],
// port 2222).
//
// # Specifications
//
// ODVA, The CIP Networks Library, Volume 1 (Common Industrial Protocol:
// message router, EPATH Appendix C, data types Appendix C-6, general status
// Appendix B, Identity, Connection Manager) and Volume 2 (EtherNet/IP
// adaptation: encapsulation chapter 2, CPF 2-6, TCP/IP Interface and
// Ethernet Link objects chapter 5); Rockwell Automation, Logix 5000
// Controllers Data Access (tag services and their type codes); Allen-Bradley
// DF1 protocol manual (PCCC command and function codes). Field semantics
// were checked against Wireshark's decode of the capture corpus.
//
// # Adding a service or an object
//
// Add the code as a constant next to its peers ([Service] constants for a
// service, class constants for an object), name it in [Service.Name] under
// the right [Context] (and teach [ContextOf] a new class), then add a typed
// accessor on [Message] that decodes its data with a wire.Reader and returns
// (T, bool). Keep it allocation-free, extend TestZeroAllocs, add a table
// test with real bytes and a seed to the fuzz targets.
package enip
