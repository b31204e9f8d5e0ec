package s7comm

import "github.com/icsdissect/icsdissect/internal/wire"

// Programmer-command (TIS) subfunctions with decoded data.
const (
	SubTISBlockStatus uint8 = 0x01
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

// VarAddrIter walks variable-table addresses (six bytes each).
type VarAddrIter struct {
	r    wire.Reader
	left int
	cur  VarAddr
}

// Next advances to the next address.
func (it *VarAddrIter) Next() bool {
	if it.left <= 0 {
		return false
	}
	if !(it.r.U8(&it.cur.Area) && it.r.U8(&it.cur.Repetition) && it.r.U16(&it.cur.DB) && it.r.U16(&it.cur.Start)) {
		it.left = 0
		return false
	}
	it.left--
	return true
}

// Addr returns the current address.
func (it *VarAddrIter) Addr() VarAddr { return it.cur }

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
func (t TIS) Addresses() VarAddrIter {
	n, ok := t.ItemCount()
	if !ok || t.Type != UDRequest {
		return VarAddrIter{}
	}
	return VarAddrIter{r: t.Data[2:], left: n}
}

// Values returns the data items of a variable-status response (read data)
// or of a modify-variable or force request (data to write).
func (t TIS) Values() DataIter {
	n, ok := t.ItemCount()
	if !ok {
		return DataIter{done: true}
	}
	switch {
	case t.Subfunc == SubTISVarStatus && t.Type != UDRequest:
		return DataIter{r: t.Data[2:], left: n}
	case t.Subfunc != SubTISVarStatus && t.Type == UDRequest:
		rest := t.Data[2:]
		skip := 6 * n
		if skip > len(rest) {
			return DataIter{done: true}
		}
		return DataIter{r: rest[skip:], left: n}
	}
	return DataIter{done: true}
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
