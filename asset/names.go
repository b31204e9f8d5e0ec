package asset

import "github.com/icsdissect/icsdissect/enip"

// VendorName returns the ODVA name of CIP vendor id ("Rockwell
// Automation/Allen-Bradley" for 1), and whether the id is listed. The list
// is package enip's. It does not allocate.
func VendorName(id uint16) (string, bool) {
	v := enip.VendorID(id)
	if !v.Known() {
		return "", false
	}
	return v.String(), true
}

// DeviceTypeName returns the ODVA name of CIP device type (device profile)
// number t ("Programmable Logic Controller" for 14), and whether it is
// listed. It does not allocate.
func DeviceTypeName(t uint16) (string, bool) {
	d := enip.DeviceType(t)
	if !d.Known() {
		return "", false
	}
	return d.String(), true
}

// ClassName returns the name of CIP object class c ("Identity" for 0x01,
// "TCP/IP Interface" for 0xf5), and whether it is listed. It does not
// allocate.
func ClassName(c uint32) (string, bool) {
	if c > 0xffff || !enip.Class(c).Known() {
		return "", false
	}
	return enip.Class(c).String(), true
}
