package s7comm

import "github.com/icsdissect/icsdissect/internal/wire"

// Programmer-command (TIS) subfunctions with decoded data.
const (
	SubTISBlockStatus uint8 = 0x01
	SubTISBlockStat2  uint8 = 0x13
	SubTISEnableJob   uint8 = 0x0e
	SubTISDisableJob  uint8 = 0x0d
	SubTISDeleteJob   uint8 = 0x0f
	SubTISVarStatus   uint8 = 0x02
	SubTISModifyVar   uint8 = 0x08
	SubTISForce       uint8 = 0x09
	SubTISReadJobList uint8 = 0x10
	SubTISFlashLED    uint8 = 0x16
)

// TIS is a programmer-command (function group 1) payload: a parameter and
// a data part, each with a size.
type TIS struct {
	Subfunc   uint8
	Type      UDType
	ParamSize uint16
	DataSize  uint16
	Param     []byte
	Data      []byte
}

// TIS returns the programmer-command payload. It does not allocate.
func (p *PDU) TIS() (TIS, bool) {
	var t TIS
	u, ok1 := p.Userdata()
	d, ok2 := p.UserdataData()
	if !ok1 || !ok2 || u.Group != GroupProgrammer || !d.decodable(u) {
		return t, false
	}
	t.Subfunc, t.Type = u.Subfunc, u.Type
	r := wire.Reader(d.Payload)
	if !(r.U16(&t.ParamSize) && r.U16(&t.DataSize)) {
		return t, false
	}
	if !r.Bytes(&t.Param, int(t.ParamSize)) {
		t.Param = r.Rest()
	}
	if !r.Bytes(&t.Data, int(t.DataSize)) {
		t.Data = r.Rest()
	}
	return t, true
}

// VarAddr is a variable-table address of a variable-status or
// modify-variable request.
type VarAddr struct {
	// Area is the variable-table memory area code (MB, MW, MD, IX ...).
	Area uint8
	// Repetition is the repetition factor, or the bit number for bit areas.
	Repetition uint8
	DB         uint16
	Start      uint16
}

// VarAddrs walks variable-table addresses (six bytes each).
type VarAddrs struct {
	r    wire.Reader
	left int
	cur  VarAddr
	err  error
}

// Next advances to the next address.
func (it *VarAddrs) Next() bool {
	if it.left <= 0 || it.err != nil {
		return false
	}
	if !(it.r.U8(&it.cur.Area) && it.r.U8(&it.cur.Repetition) && it.r.U16(&it.cur.DB) && it.r.U16(&it.cur.Start)) {
		it.err = ErrTruncated
		return false
	}
	it.left--
	return true
}

// VarAddr returns the current address.
func (it *VarAddrs) VarAddr() VarAddr { return it.cur }

// Err returns ErrTruncated when the addresses end before their count.
func (it *VarAddrs) Err() error { return it.err }

func (t TIS) varSub() bool {
	return t.Subfunc == SubTISVarStatus || t.Subfunc == SubTISModifyVar || t.Subfunc == SubTISForce
}

// ItemCount returns the item count at the front of a variable-status,
// modify-variable or force data part.
func (t TIS) ItemCount() (int, bool) {
	if !t.varSub() || len(t.Data) < 2 {
		return 0, false
	}
	return int(wire.BE16(t.Data)), true
}

// Addresses returns the addresses of a variable-status, modify-variable or
// force request.
func (t TIS) Addresses() VarAddrs {
	n, ok := t.ItemCount()
	if !ok || t.Type != UDRequest {
		return VarAddrs{}
	}
	return VarAddrs{r: t.Data[2:], left: n}
}

// DataItems returns the data items of a variable-status response or push
// (read data) or of a modify-variable or force request (data to write).
func (t TIS) DataItems() DataItems {
	n, ok := t.ItemCount()
	if !ok {
		return DataItems{done: true}
	}
	switch {
	case t.Subfunc == SubTISVarStatus && t.Type != UDRequest:
		return DataItems{r: t.Data[2:], left: n, count: n}
	case t.Subfunc != SubTISVarStatus && t.Type == UDRequest:
		rest := t.Data[2:]
		skip := 6 * n
		if skip > len(rest) {
			return DataItems{done: true}
		}
		return DataItems{r: rest[skip:], left: n, count: n}
	}
	return DataItems{done: true}
}

// JobRef returns the job function (a subfunction) and the job's sequence
// number that a job-control request (disable, enable or delete job) names
// in its data.
func (t TIS) JobRef() (function, seq uint8, ok bool) {
	switch t.Subfunc {
	case SubTISEnableJob, SubTISDisableJob, SubTISDeleteJob:
	default:
		return 0, 0, false
	}
	if t.Type != UDRequest || len(t.Data) < 2 {
		return 0, 0, false
	}
	return t.Data[0], t.Data[1], true
}

// Results returns the per-item return codes of a modify-variable or force
// response.
func (t TIS) Results() (ReturnCodes, bool) {
	n, ok := t.ItemCount()
	if !ok || t.Type == UDRequest || t.Subfunc == SubTISVarStatus {
		return nil, false
	}
	rest := t.Data[2:]
	if n > len(rest) {
		n = len(rest)
	}
	return ReturnCodes(rest[:n:n]), true
}
