package s7comm

import "github.com/icsdissect/icsdissect/internal/wire"

// BlockControl is the parameter of the block transfer functions: request
// download, download block, download ended, start upload, upload and end
// upload (and their ack-data).
type BlockControl struct {
	Function Function
	// Status is the function status byte (bit 0: more data follows,
	// bit 1: error); HasStatus is false for a one-byte parameter.
	Status    uint8
	HasStatus bool
	// ErrorCode is the two bytes after the status.
	ErrorCode uint16
	// UploadID is the upload id of the upload functions.
	UploadID    uint32
	HasUploadID bool
	// FileName is the block file name, such as "_0A00001P": file
	// identifier, block type, five-digit number, destination file system.
	FileName []byte
	// Part2 is the optional second string of request download ("1" plus
	// load memory and MC7 code lengths) or the length string of a start
	// upload ack-data.
	Part2 []byte
}

// BlockControl decodes the parameter of a block transfer function. It does
// not allocate.
func (p *PDU) BlockControl() (BlockControl, bool) {
	var b BlockControl
	f, ok := p.Function()
	if !ok || f < FuncRequestDownload || f > FuncEndUpload {
		return b, false
	}
	b.Function = f
	r := wire.Reader(p.Param[1:])
	if !r.U8(&b.Status) {
		return b, true
	}
	b.HasStatus = true
	if !r.U16(&b.ErrorCode) {
		return b, true
	}
	if r.U32(&b.UploadID) {
		b.HasUploadID = true
	}
	var n uint8
	if p.ROSCTR == AckData && f == FuncStartUpload {
		if r.U8(&n) && !r.Bytes(&b.Part2, int(n)) {
			b.Part2 = r.Rest()
		}
		return b, true
	}
	if r.U8(&n) && !r.Bytes(&b.FileName, int(n)) {
		b.FileName = r.Rest()
	}
	if r.U8(&n) && !r.Bytes(&b.Part2, int(n)) {
		b.Part2 = r.Rest()
	}
	return b, true
}

// BlockName is a block named in ASCII by block transfers and PI services:
// the block type (two characters, see [BlockType]), the five-digit block
// number and the destination file system ('P' passive, 'A' active, 'B'
// both). The file names of block transfers carry a file identifier ('_')
// in front; the block lists of PI services do not. The views alias the
// input.
type BlockName struct {
	// Name is the whole name as carried.
	Name []byte
	// Ident is the file identifier of a file name; nil in PI block lists.
	Ident      []byte
	Type       []byte
	Number     []byte
	FileSystem []byte
}

// ParseBlockName splits a block name of eight bytes ("0A00001P") or a file
// name of nine ("_0A00001P"). It does not allocate.
func ParseBlockName(b []byte) (BlockName, bool) {
	n := BlockName{Name: b}
	switch len(b) {
	case 9:
		n.Ident, b = b[:1:1], b[1:]
	case 8:
	default:
		return BlockName{}, false
	}
	n.Type, n.Number, n.FileSystem = b[0:2:2], b[2:7:7], b[7:8:8]
	return n, true
}

// BlockType returns the block type as the package's enum.
func (n BlockName) BlockType() BlockType {
	if len(n.Type) != 2 {
		return 0
	}
	return BlockType(wire.BE16(n.Type))
}

// BlockNumber returns the decimal block number; ok is false when the
// number is not five digits.
func (n BlockName) BlockNumber() (uint32, bool) {
	if len(n.Number) != 5 {
		return 0, false
	}
	var v uint32
	for _, c := range n.Number {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint32(c-'0')
	}
	return v, true
}

// Block returns the parts of the block file name of a block transfer.
func (b BlockControl) Block() (BlockName, bool) { return ParseBlockName(b.FileName) }

// BlockData is the data of an upload or download-block ack-data: a length,
// two unknown bytes and the block bytes.
type BlockData struct {
	Length  uint16
	Unknown uint16
	Data    []byte
}

// BlockData decodes the data part of an upload ack-data or a download
// block ack-data.
func (p *PDU) BlockData() (BlockData, bool) {
	var d BlockData
	f, ok := p.Function()
	if !ok || p.ROSCTR != AckData || (f != FuncUpload && f != FuncDownloadBlock) {
		return d, false
	}
	r := wire.Reader(p.Data)
	if !(r.U16(&d.Length) && r.U16(&d.Unknown)) {
		return d, false
	}
	if !r.Bytes(&d.Data, int(d.Length)) {
		d.Data = r.Rest()
	}
	return d, true
}

// PIService is the parameter of a PI-service or PLC-stop job.
type PIService struct {
	Function Function
	// Reserved holds the bytes between function and parameter block (7
	// for PI service, 5 for PLC stop).
	Reserved []byte
	// Params is the parameter block of a PI service (nil for PLC stop).
	Params []byte
	// Service is the PI service name: P_PROGRAM, _INSE, _DELE, _MODU,
	// _GARB, _N_... .
	Service []byte
}

// PIService decodes a PI-service (0x28) or PLC-stop (0x29) job parameter.
func (p *PDU) PIService() (PIService, bool) {
	var s PIService
	f, ok := p.Function()
	if !ok || p.ROSCTR != Job || (f != FuncPIService && f != FuncPLCStop) {
		return s, false
	}
	s.Function = f
	r := wire.Reader(p.Param[1:])
	var n uint8
	if f == FuncPLCStop {
		if !r.Bytes(&s.Reserved, 5) {
			return s, false
		}
	} else {
		var pl uint16
		if !(r.Bytes(&s.Reserved, 7) && r.U16(&pl) && r.Bytes(&s.Params, int(pl))) {
			return s, false
		}
	}
	if !(r.U8(&n) && r.Bytes(&s.Service, int(n))) {
		return s, false
	}
	return s, true
}

// PIServiceKind says what a PI service (or PLC stop) does, from its
// service name. The zero value is a name the package does not know.
type PIServiceKind uint8

// PI service kinds. The names and what they do follow Wireshark's list of
// PI services (packet-s7comm.c, pi_service_names).
const (
	// PIStart is P_PROGRAM in a PI-service job: start the PLC (a warm
	// restart; with the argument "C " a cold restart).
	PIStart PIServiceKind = iota + 1
	// PIStop is P_PROGRAM in a PLC-stop job (function 0x29).
	PIStop
	// PIActivateBlock is _INSE: activate (insert) downloaded blocks.
	PIActivateBlock
	// PIDeleteBlock is _DELE: delete blocks.
	PIDeleteBlock
	// PICompressMemory is _GARB: compress the PLC memory.
	PICompressMemory
	// PICopyRAMToROM is _MODU: copy RAM to ROM.
	PICopyRAMToROM
	// PINCLogin and PINCLogout are _N_LOGIN_ and _N_LOGOUT of an NC
	// (SINUMERIK); PINCPassword is _N_NEWPWD, a new password.
	PINCLogin
	PINCLogout
	PINCPassword
	// PINCFile is an NC file service (_N_F_...: open, close, delete,
	// copy, rename, protect ...).
	PINCFile
	// PINCService is any other NC service (_N_...: program selection,
	// tool management, cancel alarm ...).
	PINCService
)

func (k PIServiceKind) name() string {
	switch k {
	case PIStart:
		return "start"
	case PIStop:
		return "stop"
	case PIActivateBlock:
		return "activate block"
	case PIDeleteBlock:
		return "delete block"
	case PICompressMemory:
		return "compress memory"
	case PICopyRAMToROM:
		return "copy ram to rom"
	case PINCLogin:
		return "nc login"
	case PINCLogout:
		return "nc logout"
	case PINCPassword:
		return "nc new password"
	case PINCFile:
		return "nc file"
	case PINCService:
		return "nc service"
	}
	return ""
}

// Known reports whether k is one of the kinds above.
func (k PIServiceKind) Known() bool { return k.name() != "" }

// String returns the kind's name ("activate block"), or
// "pi service kind 0x00".
func (k PIServiceKind) String() string { return enumText(k.name(), "pi service kind", uint32(k), 2) }

// AppendText appends String's text to b. It does not allocate.
func (k PIServiceKind) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, k.name(), "pi service kind", uint32(k), 2), nil
}

// Kind classifies the service by its name; the zero kind when the name is
// not one the package knows.
func (s PIService) Kind() PIServiceKind {
	name := s.Service
	switch string(name) {
	case "P_PROGRAM":
		if s.Function == FuncPLCStop {
			return PIStop
		}
		return PIStart
	case "_INSE":
		return PIActivateBlock
	case "_DELE":
		return PIDeleteBlock
	case "_GARB":
		return PICompressMemory
	case "_MODU":
		return PICopyRAMToROM
	case "_N_LOGIN_":
		return PINCLogin
	case "_N_LOGOUT":
		return PINCLogout
	case "_N_NEWPWD":
		return PINCPassword
	}
	if isNCService(name) {
		if len(name) > 5 && name[3] == 'F' && name[4] == '_' {
			return PINCFile
		}
		return PINCService
	}
	return 0
}

// Argument returns the parameter block of a PI service that takes a
// single argument string, such as the "C " of P_PROGRAM or the "EP" of
// _MODU; ok is false for the block-list services (_INSE, _DELE, see
// Blocks) and the NC services (_N_..., see Args).
func (s PIService) Argument() ([]byte, bool) {
	if s.Function != FuncPIService || isBlockService(s.Service) || isNCService(s.Service) {
		return nil, false
	}
	return s.Params, true
}

func isNCService(name []byte) bool {
	return len(name) > 3 && name[0] == '_' && name[1] == 'N' && name[2] == '_'
}

// PIArgs walks the length-prefixed string arguments of an NC PI service
// (_N_...).
type PIArgs struct {
	r   wire.Reader
	cur []byte
	err error
}

// Args returns a cursor over the string arguments of an NC service; it is
// empty for other services.
func (s PIService) Args() PIArgs {
	if !isNCService(s.Service) {
		return PIArgs{}
	}
	return PIArgs{r: s.Params}
}

// Next advances to the next argument.
func (a *PIArgs) Next() bool {
	if a.err != nil || a.r.Empty() {
		return false
	}
	var n uint8
	if !(a.r.U8(&n) && a.r.Bytes(&a.cur, int(n))) {
		a.err = ErrTruncated
		return false
	}
	return true
}

// PIArg returns the current argument's bytes.
func (a *PIArgs) PIArg() []byte { return a.cur }

// Err returns ErrTruncated when an argument overran the parameter block.
func (a *PIArgs) Err() error { return a.err }

// BlockNames walks the eight-byte block names ("0A00001P": type, number,
// file system) in the parameter block of an _INSE or _DELE PI service.
type BlockNames struct {
	r    wire.Reader
	left int
	cur  BlockName
	err  error
}

// Blocks returns the block names of an _INSE or _DELE service: a count,
// a reserved byte and count names of eight bytes.
func (s PIService) Blocks() (BlockNames, bool) {
	if !isBlockService(s.Service) || len(s.Params) < 2 {
		return BlockNames{}, false
	}
	return BlockNames{r: s.Params[2:], left: int(s.Params[0])}, true
}

func isBlockService(name []byte) bool {
	return string(name) == "_INSE" || string(name) == "_DELE"
}

// Next advances to the next block name.
func (b *BlockNames) Next() bool {
	if b.left <= 0 || b.err != nil {
		return false
	}
	var v []byte
	if !b.r.Bytes(&v, 8) {
		b.err = ErrTruncated
		return false
	}
	b.cur, _ = ParseBlockName(v)
	b.left--
	return true
}

// BlockName returns the current block name.
func (b *BlockNames) BlockName() BlockName { return b.cur }

// Err returns ErrTruncated when the list ends before its count.
func (b *BlockNames) Err() error { return b.err }
