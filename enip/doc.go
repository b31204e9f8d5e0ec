// Package enip decodes EtherNet/IP encapsulation and the CIP messages it
// carries, without allocating: the 24-byte encapsulation header and every
// command, Common Packet Format items, implicit I/O on UDP 2222, CIP message
// router requests and replies, EPATHs with every segment type, typed CIP
// values, and the services and objects that matter for monitoring
// (Multiple Service Packet, Forward Open/Close, Unconnected Send, Logix tag
// and template services, Execute PCCC, File object, Identity, TCP/IP
// Interface and Ethernet Link attributes). A [Conn] pairs replies with
// their requests per connection.
//
// # Decoding
//
// [Parse] decodes one encapsulation PDU into a [Frame]; [Frame.Items] walks
// its CPF items with a cursor:
//
//	f, n, err := enip.Parse(pdu)
//	items := f.Items()
//	for items.Next() {
//		item := items.Item()
//		switch item.Type {
//		case enip.ItemUnconnectedData:
//			m, err := enip.ParseCIP(item.Data)
//			...
//		case enip.ItemListIdentity:
//			id, ok := item.Identity()
//		}
//	}
//
// [Frame.CIP] is the fast path to the CIP message of SendRRData and
// SendUnitData (address item plus data item), with the cursor as fallback.
// [Frame.Decode], [Frame.DecodeCIP] and [CIPMessage.Decode] decode in place
// into caller-owned values (as gopacket's DecodingLayer does); they are the
// fastest forms.
//
// [ParseCIP] decodes a CIP request or reply into a [CIPMessage]: service,
// reply bit, request path ([Path]) or general and additional status, and a
// view of the service data. Typed accessors decode that data by service:
// [CIPMessage.Multiple] (a cursor over a Multiple Service Packet),
// [CIPMessage.ForwardOpen], [CIPMessage.ForwardClose],
// [CIPMessage.UnconnectedSend] (the embedded request and its route),
// [CIPMessage.TagRequest] (Logix Read/Write Tag, fragmented and
// read-modify-write), [CIPMessage.TemplateRead], [CIPMessage.AttributeList],
// [CIPMessage.Attributes] (attribute list and Get Attributes All values) and
// [CIPMessage.PCCC].
//
// # Service contexts
//
// Codes 0x01-0x1D are common services; from 0x32 on a code means different
// things on different classes: 0x4C is Read Tag on a Logix tag, Read
// Template on the template object (0x6C) and Initiate Download on the File
// object (0x37); 0x52 is Unconnected Send on the Connection Manager and Read
// Tag Fragmented on a tag. [Path.Context] derives the [Context] from a
// request path (the first class segment, or a symbol); [Service.Name] names
// a code in a context, and [Service.String] prints an object-specific code
// with its number ("object-specific service 0x4c"). Request accessors check
// their own path's context: a Logix tag service on any other class is not
// decoded as one. A reply carries no path, so its accessors
// ([CIPMessage.TagReply], [CIPMessage.ForwardOpenReply],
// [CIPMessage.ConnectionReplyTriad], [CIPMessage.PCCCReply]) take the
// request's context, which a Conn keeps.
//
// # Conn: the state of one connection
//
// A [Conn] decodes the PDUs of one connection, both directions, with
// [Conn.Decode](pdu, toServer, ts) and returns a [Message]: the frame, and
// for a reply whether it was paired, the request's time, and the request's
// context. ListIdentity, ListServices, ListInterfaces and RegisterSession
// pair by command and sender context; SendRRData (UCMM) by session and
// sender context; SendUnitData by connection and sequence count, the
// request on the O->T connection id and the reply on the T->O one, which
// the Forward Open seen on the Conn tells (without it, by sequence count
// alone). [Message.Calls] walks the CIP services of a message with the
// request context of each ([Call], [Request]): the top-level service, the
// service an Unconnected Send carries (with the Unconnected Send and its
// route in Call.Via: a module in a backplane slot is a device of its own),
// each service of a Multiple Service Packet. A reply is read in its
// request's context only when its service answers the request (the
// embedded service's reply, or the Unconnected Send's own when routing
// failed); otherwise it is AnomalyMismatchedResponse, Call.Request is nil and
// the data stays raw.
//
// A Conn keeps only the compact context a reply needs, never a copy of the
// request: per service, the service, context, class, instance, attribute and
// member, the element count, data type and offset of tag services, PCCC
// command and function, and the request path (and route or connection
// path) up to [RequestPathMax] bytes in a ring of [PathArena] bytes. It is
// bounded: [MaxPending] requests, [MaxCalls] service contexts and
// [MaxConnections] Forward Open connections; when full, the oldest request
// is dropped and counted (AnomalyPendingOverflow, ConnStats.Overflow and
// Unanswered). [Conn.Flush] reports the requests left unanswered when the
// connection ends; [Conn.Reset] readies the Conn for a new connection.
//
// unsafe.Sizeof(Conn{}) is 912 bytes on 64-bit platforms; the CIP part of
// its state (contexts, path arena and connections, about 13 KB) is
// allocated on the Conn's first CIP request and kept across Reset, so a
// Conn that only sees list commands stays small. Nothing else allocates.
//
// Implicit I/O datagrams (UDP 2222) travel on a flow of their own: a
// [Tracker], fed with the connections Conns report opened
// ([Message.Opened]) and closed ([Message.Closed]), ties them to the Forward
// Open that created their connection ([Tracker.Lookup], [Connection.IO]).
// The Tracker is the only state the package keeps across flows.
//
// # Values, names and operations
//
// [Value] is a typed CIP value: BOOL, SINT, INT, DINT, LINT, USINT, UINT,
// UDINT, ULINT, REAL (a float32, so that it prints as sent), LREAL, BYTE,
// WORD, DWORD, LWORD and the time types as arrays of [Scalar]
// ([Value.At], [Value.All]); CIP STRING, SHORT_STRING and the Logix STRING
// structure ([Value.Text]); other structures raw with their handle
// ([Value.Struct]). Objects decode with [ParseIdentity] and
// [Identity.SetAttribute] (attributes 1-10), [TCPIPInterface.SetAttribute],
// [EthernetLink.SetAttribute] and [AttributeSize].
//
// Names come from the public ODVA lists, kept as the package's own tables:
// [VendorID] (the vendor id list), [DeviceType], [Class], [GeneralStatus]
// and [ExtendedStatus]. [Operation] classifies requests for monitoring
// (read, write, configure, start, stop, reset, mode change, upload,
// download, connect, disconnect, identity query, diagnostics):
// [ServiceOperation], [PCCCOperation], [CommandOperation],
// [Request.Operation].
//
// # Aliasing and lifetime
//
// Frames, items, messages, paths, segments and values are small values that
// hold sub-slices of the input: they are valid as long as the input is and
// must be copied to be kept past it. The results of a Conn (its Message,
// Requests, Connections) point into the Conn and are valid until its next
// call; a Tracker's until its next Open. Nothing else retains the input.
//
// # Errors and anomalies
//
// Errors are the sentinels of type [Error] ([ErrTruncated], [ErrLength],
// [ErrSegment], [ErrService], [ErrCount]); ErrTruncated means more bytes are
// needed and comes with n == 0. Protocol status codes are small integer
// types ([Status] for encapsulation, [GeneralStatus] for CIP) that implement
// error. Cursors stop at the first error and report it with Err; views
// decoded before the error stay valid. No failure path allocates.
// [Explain] decodes a PDU again and names the field and offset where
// decoding stopped ([FieldError]); it is the slow, opt-in path.
//
// Oddities that do not stop decoding are [Anomaly] flags: unknown commands,
// status codes, item types, segment types and general status codes,
// non-zero options, trailing bytes, services a class does not define and
// data types that are none (set by a Conn, which knows a reply's class),
// and the connection-level flags (unmatched, mismatched, duplicate, dropped
// requests, contexts cut to the Conn's bounds). Unknown codes are kept as
// they are (open enums), never rejected.
//
// # Stream framing
//
// [Split] is a bufio.SplitFunc for the TCP 44818 stream: it returns each
// complete PDU (24 + length bytes) and asks for more when one is cut. It
// commits to a header only as far as the bytes behind it agree: a command
// that traffic uses, zero options, a length of at most 65511 that fits the
// command (RegisterSession 4, UnregisterSession 0) and, for SendRRData,
// SendUnitData and the list replies, a Common Packet Format list whose item
// lengths add up exactly to it (after interface handle 0 for the Send
// commands). A claim the bytes contradict is skipped, not waited for, so a
// bogus length cannot swallow the PDUs behind it. Skipped bytes come back
// as an advance with a nil token, at most [MaxSkip] per call, and skipping
// stops only at a header that passes [Resync]'s checks.
//
// [Resync] is Split for bytes after a gap or at a capture that starts in
// the middle of a connection: it takes a header only when everything the
// PDU's head carries is plausible (a known status, the CPF layout of the
// command, RegisterSession version 1), never a NOP (its data is arbitrary,
// and a run of zero bytes looks like one), and a PDU whose data carries
// nothing to check (a list request, RegisterSession, UnregisterSession)
// only when the next header behind it passes too. Callers use Resync until
// it delivers a PDU, then Split.
//
// At EOF a cut PDU with a plausible header is returned as the last token, so
// that Parse reports it. UDP payloads are one PDU each (port 44818) or one
// I/O datagram ([ParseIO], port 2222).
//
// # Specifications
//
// ODVA, The CIP Networks Library, Volume 1 (Common Industrial Protocol:
// message router, EPATH Appendix C, data types Appendix C-6, general status
// Appendix B, Identity, Connection Manager, File object) and Volume 2
// (EtherNet/IP adaptation: encapsulation chapter 2, CPF 2-6, TCP/IP
// Interface and Ethernet Link objects chapter 5); ODVA's vendor id and
// device profile lists; Rockwell Automation, Logix 5000 Controllers Data
// Access (tag and template services, type codes, the STRING structure);
// Allen-Bradley DF1 protocol manual (PCCC command and function codes).
// Field semantics were checked against Wireshark's decode of the capture
// corpus.
//
// # Adding a service or an object
//
// Add the code as a constant next to its peers ([Service] constants for a
// service, [Class] constants for an object), name it in Service.Name under
// the right [Context] (and teach ContextOf a new class), classify it in
// ServiceOperation, then add a typed accessor on [CIPMessage] that checks
// the context (a request's own path; a reply's given context), decodes its
// data with a wire.Reader and returns (T, bool). If a reply needs more of
// its request than the Request keeps, add the field to Request and fill it
// in Request.set. Keep it allocation-free, extend TestZeroAllocs, add a table
// test with real bytes and a seed to the fuzz targets.
package enip
