package asset

import "time"

// Status is the outcome a response reported: the protocol's status,
// exception or return code, its extended code where the protocol has one,
// and its name.
type Status struct {
	// Code is the protocol's code: the Modbus exception code, the S7 error
	// class<<8|code or item return code, the CIP general status, the DNP3
	// CROB or analog output status or the IIN bits that say an error, the
	// IEC 104 cause of transmission of a negative confirmation.
	Code uint32
	// Ext is the extended status (CIP additional status word), 0 when none.
	Ext uint32
	// Name is the code's name as the protocol package gives it ("Illegal
	// Data Address", "Object does not exist", "success").
	Name string
	// Failed is true when the code says the request failed.
	Failed bool
}

// Meta is what every event of one PDU (or request/response pair) has: the
// protocol and conversation, the station, the function and its timing.
type Meta struct {
	Proto     Protocol
	Transport Transport
	// Client sent the request; Server answered it (the device whose
	// registers, tags or points are accessed). For values sent without a
	// request (DNP3 unsolicited, IEC 104 spontaneous data) the outstation
	// is still the Server.
	Client, Server Endpoint
	// VLAN is the outermost 802.1Q VLAN id, 0 when untagged.
	VLAN uint16
	// Unit is the station addressed: the Modbus unit id, the S7 rack<<8|slot
	// from the connection request (0xffff when not seen), the CIP port<<8|slot
	// of an Unconnected Send route (0 when not routed), the DNP3 outstation
	// link address, the IEC 104 common address.
	Unit uint32
	// Transaction identifies the exchange: the Modbus transaction id, the
	// S7 PDU reference, the ENIP sender context's low 64 bits or the CIP
	// connected sequence count, the DNP3 application sequence number, the
	// IEC 104 send sequence number N(S) of the request.
	Transaction uint64
	// Function is the protocol's function or service code (Modbus
	// function, S7 function or userdata group<<8|subfunction, CIP service,
	// DNP3 function, IEC 104 type identification); FunctionName is its name.
	Function     uint16
	FunctionName string
	// Sub is the sub-function when HasSub: the Modbus diagnostics
	// sub-function or MEI type, the S7 userdata subfunction, the S7comm-plus
	// opcode.
	Sub    uint16
	HasSub bool
	// Session is the protocol's session or connection id, 0 when none: the
	// ENIP session handle, the CIP connection id of connected messages and
	// I/O, the S7 upload id, the DNP3 file handle.
	Session uint64
	// Status is the response's status; zero when there was none.
	Status Status
	// Time is the capture time of the response in nanoseconds since the
	// Unix epoch (of the request when there is no response); RequestTime is
	// the request's (0 when there was none). Frame and RequestFrame are
	// their frame numbers (0 when unknown).
	Time, RequestTime   int64
	Frame, RequestFrame uint64
	Flags               Flags
}

// Latency returns the time from request to response, 0 when the event was
// not a paired request and response.
func (m *Meta) Latency() time.Duration {
	if m.Flags&FlagPaired == 0 || m.RequestTime == 0 {
		return 0
	}
	return time.Duration(m.Time - m.RequestTime)
}

// Address is where an access reads or writes.
type Address struct {
	Space Space
	// Block is the S7 DB number, the Modbus file number, the CIP class, the
	// DNP3 object group, the IEC 104 type identification, the S7 area code
	// of SpaceS7Other.
	Block uint32
	// Instance is the CIP instance or the DNP3 variation; Attribute the CIP
	// attribute.
	Instance, Attribute uint32
	// Start is the first element's address: the Modbus register or coil,
	// the S7 byte offset or timer/counter number, the CIP element of a tag
	// array, the DNP3 point index, the IEC 104 information object address,
	// the Modbus file record.
	Start uint64
	// Bit is the S7 bit number within the byte at Start.
	Bit uint8
	// Count is the number of elements the request names: registers, bits,
	// S7 elements of the transport size, CIP elements, DNP3 points, IEC 104
	// information objects.
	Count uint32
	// Symbol is the symbolic name of a CIP tag ("Program:Main.Motor[3].Speed")
	// or the bytes of an S7 symbolic address, a view valid during the call.
	Symbol []byte
}

// Access is one read or write: the request paired with its response when
// both were seen. Values are those read (from the response) or written (from
// the request). It is a fixed-size value: delivering it allocates nothing.
// Symbol, Values and Status.Name view buffers of the engine and are valid
// only during the Observer call; Clone keeps them.
type Access struct {
	Meta
	// Kind is OpRead or OpWrite; Action is precise (ActionRead,
	// ActionWrite, ActionSelect, ActionOperate, ActionReport, ...).
	Kind   Operation
	Action Action
	Address
	Values Values
}

// Clone returns a copy of a whose views own their bytes. It allocates.
func (a Access) Clone() Access {
	a.Symbol = append([]byte(nil), a.Symbol...)
	a.Values = a.Values.Clone()
	return a
}

// Op is an operation that matters to a security team and is not a plain
// read or write: run/stop, program transfer, firmware, configuration, time
// setting, file transfer, authentication, diagnostics, identity queries. It
// is a fixed-size value; Target views a buffer valid only during the
// Observer call.
type Op struct {
	Meta
	Kind   Operation
	Action Action
	// Target names what the operation acts on: the block ("OB1", "DB10"),
	// the file, the PI service and its arguments, the object
	// ("class 0x01 instance 1"), or nothing.
	Target []byte
	// Size is the size the operation states (a block's length, a file's
	// size), 0 when none.
	Size uint64
	// Data holds the bytes of functions the protocol package does not
	// decode (vendor functions such as Schneider UMAS, unknown codes), a
	// view; nil otherwise.
	Data []byte
}

// Clone returns a copy of o whose Target owns its bytes. It allocates.
func (o Op) Clone() Op {
	o.Target = append([]byte(nil), o.Target...)
	o.Data = append([]byte(nil), o.Data...)
	return o
}

// Observer receives events. Each method gets its event by value, so an
// event built on the stack and passed through the interface does not
// escape: delivering Access and Op events allocates nothing. Views inside
// an event are valid only during the call. Embed NopObserver to implement
// only the methods you need.
type Observer interface {
	Access(Access)
	Operation(Op)
	Identity(Identity)
	Change(Change)
}

// NopObserver implements Observer by ignoring every event. Embed it in an
// observer that handles only some kinds of event.
type NopObserver struct{}

// Access ignores a.
func (NopObserver) Access(Access) {}

// Operation ignores o.
func (NopObserver) Operation(Op) {}

// Identity ignores id.
func (NopObserver) Identity(Identity) {}

// Change ignores c.
func (NopObserver) Change(Change) {}
