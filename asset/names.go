package asset

//go:generate sh -c "cd .. && go run ./asset/internal/odvagen > asset/odva.go && gofmt -w asset/odva.go"

// VendorName returns the ODVA name of CIP vendor id ("Rockwell
// Automation/Allen-Bradley" for 1), and whether the id is listed. It does
// not allocate.
func VendorName(id uint16) (string, bool) {
	lo, hi := 0, len(vendorNames)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if vendorNames[m].id < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(vendorNames) && vendorNames[lo].id == id {
		return vendorNames[lo].name, true
	}
	return "", false
}

// DeviceTypeName returns the name of CIP device type (device profile)
// number t ("Programmable Logic Controller" for 14), and whether it is
// listed. It does not allocate.
func DeviceTypeName(t uint16) (string, bool) {
	lo, hi := 0, len(deviceTypeNames)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if deviceTypeNames[m].id < t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(deviceTypeNames) && deviceTypeNames[lo].id == t {
		return deviceTypeNames[lo].name, true
	}
	return "", false
}

// ClassName returns the name of CIP object class c ("Identity" for 0x01,
// "TCP/IP Interface" for 0xf5), and whether it is listed. It does not
// allocate.
func ClassName(c uint32) (string, bool) {
	if c > 0xffff {
		return "", false
	}
	id := uint16(c)
	lo, hi := 0, len(classNames)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if classNames[m].id < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(classNames) && classNames[lo].id == id {
		return classNames[lo].name, true
	}
	return "", false
}
