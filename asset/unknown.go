package asset

import (
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/s7comm"
)

// The protocol packages name an unknown code with its number ("function
// 0x5a"), a string made on each call. Events name the function of every
// request, so the texts of the unknown 8-bit codes are made once here and
// naming an unknown code per event allocates nothing.
var (
	modbusUnknownFunctions  = unknownTable(func(c int) string { return modbus.FunctionCode(c).String() })
	modbusUnknownExceptions = unknownTable(func(c int) string { return modbus.ExceptionCode(c).String() })
	enipUnknownServices     = unknownTable(func(c int) string { return enip.Service(c).Name(0) })
	enipServiceStrings      = unknownTable(func(c int) string { return enip.Service(c).String() })
	s7OperationStrings      = unknownTable(func(c int) string { return s7comm.Operation(c).String() })
)

// unknownTable returns the names of the 256 values of an 8-bit code.
func unknownTable(name func(c int) string) *[256]string {
	var t [256]string
	for c := range t {
		t[c] = name(c)
	}
	return &t
}

// modbusFunctionName is fn.String() without allocating for unknown codes.
func modbusFunctionName(fn modbus.FunctionCode) string {
	if fn.Known() {
		return fn.String()
	}
	return modbusUnknownFunctions[fn]
}

// enipServiceName is s.Name(c) without allocating for a service unknown in
// c: its text is the one of the table when it is the unknown form.
func enipServiceName(s enip.Service, c enip.Context) string {
	var buf [64]byte
	if b := s.AppendName(buf[:0], c); string(b) == enipUnknownServices[s] {
		return enipUnknownServices[s]
	}
	return s.Name(c)
}

// modbusExceptionName is c.String() without allocating for unknown codes.
func modbusExceptionName(c modbus.ExceptionCode) string {
	if c.Known() {
		return c.String()
	}
	return modbusUnknownExceptions[c]
}

// Kinds of codes in a nameCache.
const (
	nameENIPCommand = 1 + iota
	nameENIPStatus
	nameCIPStatus
	nameIEC104Type
	nameIEC104Cause
	nameDNP3Function
	nameDNP3IIN
	nameDNP3Status
	nameS7ReturnCode
	nameS7PlusFunction
	nameS7UserDataType
)

// nameCacheSize is the number of texts a nameCache keeps.
const nameCacheSize = 64

// nameCache keeps the texts of unknown codes, direct-mapped by kind and
// code: the first event naming an unknown code makes its text, the events
// after it that name the same code allocate nothing. A code that another
// pushes out makes its text again. It is fixed in size.
type nameCache struct {
	e [nameCacheSize]struct {
		kind uint8
		code uint32
		text string
	}
}

// code is what codeName needs of a code type.
type code interface {
	~uint8 | ~uint16 | ~uint32
	Known() bool
	String() string
}

// codeName returns v.String(): for a known code from String, which does not
// allocate for them, for an unknown one from c.
func codeName[T code](c *nameCache, kind uint8, v T) string {
	if v.Known() {
		return v.String()
	}
	return cachedText(c, kind, v)
}

// cachedText returns v.String() from c, making it when c does not hold it.
func cachedText[T interface {
	~uint8 | ~uint16 | ~uint32
	String() string
}](c *nameCache, kind uint8, v T) string {
	k := uint32(v)
	h := (k*0x9e3779b1 ^ uint32(kind)*0x85ebca6b) >> 26
	e := &c.e[h%nameCacheSize]
	if e.kind != kind || e.code != k || e.text == "" {
		e.kind, e.code, e.text = kind, k, v.String()
	}
	return e.text
}

// enipCommandName is c.String() without allocating for an unknown code
// seen before.
func (e *Engine) enipCommandName(c enip.Command) string {
	return codeName(&e.names, nameENIPCommand, c)
}

// enipStatusName is s.String() without allocating for an unknown status
// seen before.
func (e *Engine) enipStatusName(s enip.Status) string {
	return codeName(&e.names, nameENIPStatus, s)
}

// cipStatusName is s.String() without allocating for an unknown status seen
// before.
func (e *Engine) cipStatusName(s enip.GeneralStatus) string {
	return codeName(&e.names, nameCIPStatus, s)
}
