package pcapx

import (
	"github.com/icsdissect/icsdissect/dnp3"
	"github.com/icsdissect/icsdissect/enip"
	"github.com/icsdissect/icsdissect/iec104"
	"github.com/icsdissect/icsdissect/modbus"
	"github.com/icsdissect/icsdissect/s7comm"
)

// NumProtocols is the number of Protocol values, Unknown included; arrays
// indexed by Protocol (as in [Stats]) have this length.
const NumProtocols = numProtocols

// split dispatches to the protocol's own Split function. Protocols without
// one (Unknown) get each run of bytes as one PDU.
func split(p Protocol, data []byte, atEOF bool) (int, []byte, error) {
	switch p {
	case Modbus:
		return modbus.Split(data, atEOF)
	case S7comm:
		return s7comm.Split(data, atEOF)
	case ENIP:
		return enip.Split(data, atEOF)
	case DNP3:
		return dnp3.Split(data, atEOF)
	case IEC104:
		return iec104.Split(data, atEOF)
	}
	return len(data), data, nil
}

// Port maps one transport port to a protocol.
type Port struct {
	Transport Transport
	Port      uint16
	Proto     Protocol
}

// DefaultPorts lists the well-known ports pcapx recognises unless
// [Config.NoDefaultPorts] is set.
func DefaultPorts() []Port {
	return []Port{
		{TCP, 502, Modbus},
		{UDP, 502, Modbus},
		{TCP, 102, S7comm},
		{TCP, 44818, ENIP},
		{UDP, 44818, ENIP},
		{UDP, 2222, ENIP},
		{TCP, 20000, DNP3},
		{UDP, 20000, DNP3},
		{TCP, 2404, IEC104},
	}
}

// portTable maps each TCP and UDP port to a protocol; Unknown means the port
// is not an ICS port. A bitmap of the ports in use (8 KiB per transport)
// answers most lookups (ephemeral ports) from the caches. It is owned by
// one Decoder.
type portTable struct {
	used     [2][1024]uint64
	tcp, udp [65536]Protocol
}

func (t *portTable) add(tr Transport, port uint16, p Protocol) {
	if p >= numProtocols {
		p = Unknown
	}
	i := 0
	switch tr {
	case TCP:
		t.tcp[port] = p
	case UDP:
		t.udp[port] = p
		i = 1
	default:
		return
	}
	if p == Unknown {
		t.used[i][port>>6] &^= 1 << (port & 63)
	} else {
		t.used[i][port>>6] |= 1 << (port & 63)
	}
}

func (t *portTable) lookup(tr Transport, port uint16) Protocol {
	if tr == TCP {
		if t.used[0][port>>6]&(1<<(port&63)) == 0 {
			return Unknown
		}
		return t.tcp[port]
	}
	if t.used[1][port>>6]&(1<<(port&63)) == 0 {
		return Unknown
	}
	return t.udp[port]
}
