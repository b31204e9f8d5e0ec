package asset

import (
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/modbus"
)

// The protocol packages name an unknown code with its number ("function
// 0x5a"), a string made on each call. Events name the function of every
// request, so the texts of the unknown 8-bit codes are made once here and
// naming an unknown code per event allocates nothing.
var (
	modbusUnknownFunctions  = unknownTable(func(c int) string { return modbus.FunctionCode(c).String() })
	modbusUnknownExceptions = unknownTable(func(c int) string { return modbus.ExceptionCode(c).String() })
	enipUnknownServices     = unknownTable(func(c int) string { return enip.Service(c).Name(0) })
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
