package asset

// ChangeKind is what changed.
type ChangeKind uint8

// Change kinds.
const (
	// ChangeNewDevice: an address was seen for the first time.
	ChangeNewDevice ChangeKind = iota
	// ChangeNewProtocol: a device served or used a protocol for the first
	// time.
	ChangeNewProtocol
	// ChangeNewClient: a client talked to a server for the first time.
	ChangeNewClient
	// ChangeIdentity: an identity attribute changed value (firmware,
	// serial number, name). Both values are kept in the inventory.
	ChangeIdentity
	// ChangeFirstWrite: a tag, register or point was written for the first
	// time.
	ChangeFirstWrite
	// ChangeProgram: a program was downloaded, uploaded, deleted or copied
	// to ROM.
	ChangeProgram
	// ChangeFirmware: firmware was transferred.
	ChangeFirmware
	// ChangeMode: the operating mode changed (run, stop, listen only), as
	// commanded by a client or reported by the device.
	ChangeMode
	numChangeKinds
)

var changeNames = [numChangeKinds]string{
	"new_device", "new_protocol", "new_client", "identity_changed", "first_write",
	"program_transfer", "firmware_transfer", "mode_changed",
}

// Known reports whether k is a defined change kind.
func (k ChangeKind) Known() bool { return k < numChangeKinds }

// String returns the kind's snake_case name ("new_device",
// "identity_changed", ...). It does not allocate for known values.
func (k ChangeKind) String() string {
	if k < numChangeKinds {
		return changeNames[k]
	}
	return unknownString("change", uint64(k), false)
}

// AppendText appends the name. It never allocates.
func (k ChangeKind) AppendText(b []byte) ([]byte, error) {
	if k < numChangeKinds {
		return append(b, changeNames[k]...), nil
	}
	return appendUnknown(b, "change", uint64(k), false), nil
}

// Change is a difference the inventory noticed, with the value before and
// after. Changes are rare; building them allocates.
type Change struct {
	Kind  ChangeKind
	Proto Protocol
	// Device is the device that changed; Peer is who caused or saw it
	// (the new client, the writer, the programmer), zero when unknown.
	Device, Peer Endpoint
	// Module is the identity's module (see Identity.Module), or "".
	Module string
	// Item is what changed: the identity field's name, the tag, the block
	// or file, "mode", the protocol's name.
	Item string
	// Before and After are the values before and after ("" when there was
	// none: a first write has no Before).
	Before, After string
	Time          int64
	Frame         uint64
}
