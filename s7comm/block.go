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

// FileName is a block file name such as "_0A00001P".
type FileName []byte

// Parts splits a nine-byte block file name into file identifier, block
// type, block number digits and destination file system.
func (n FileName) Parts() (ident uint8, typ BlockType, number []byte, fs uint8, ok bool) {
	if len(n) != 9 {
		return 0, 0, nil, 0, false
	}
	return n[0], BlockType(wire.BE16(n[1:])), n[3:8:8], n[8], true
}

// BlockNumber returns the decimal block number of a nine-byte file name.
func (n FileName) BlockNumber() (uint32, bool) {
	_, _, num, _, ok := n.Parts()
	if !ok {
		return 0, false
	}
	var v uint32
	for _, c := range num {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint32(c-'0')
	}
	return v, true
}

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
type PIArgs struct{ r wire.Reader }

// Args returns a cursor over the string arguments of an NC service; it is
// empty for other services.
func (s PIService) Args() PIArgs {
	if !isNCService(s.Service) {
		return PIArgs{}
	}
	return PIArgs{r: s.Params}
}

// Next returns the next string argument.
func (a *PIArgs) Next() ([]byte, bool) {
	var n uint8
	var v []byte
	if !(a.r.U8(&n) && a.r.Bytes(&v, int(n))) {
		return nil, false
	}
	return v, true
}

// BlockNames walks the eight-byte block names ("0A00001P": type, number,
// file system) in the parameter block of an _INSE or _DELE PI service.
type BlockNames struct {
	r    wire.Reader
	left int
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

// Next returns the next block name.
func (b *BlockNames) Next() ([]byte, bool) {
	var v []byte
	if b.left <= 0 || !b.r.Bytes(&v, 8) {
		return nil, false
	}
	b.left--
	return v, true
}
