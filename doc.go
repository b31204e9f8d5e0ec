// Package icsdissect is an embeddable library of industrial (OT/ICS) protocol
// dissectors: Modbus/TCP, Siemens S7comm, EtherNet/IP with CIP, DNP3 and
// IEC 60870-5-104.
//
// The root package holds no code; the work is done by its subpackages, which
// a caller combines as the data flows:
//
//	pcap / pcapng file or io.Reader
//	  -> pcapx     packets -> L2..L4 -> flow key -> per-direction TCP stream or UDP datagram
//	  -> Split     each protocol cuts its PDUs out of the stream (bufio.SplitFunc shape)
//	  -> Parse     each protocol decodes one PDU into a small Frame that views the input
//
// Protocol packages (modbus, s7comm, enip, dnp3, iec104) import only the
// standard library and internal/wire, decode without allocating on the hot
// path, and never panic on hostile input: a malformed PDU gives an error
// value, a surprising but decodable one sets anomaly flags on its Frame.
//
// The command icsdissect (cmd/icsdissect) prints what a capture holds as JSON
// lines or a summary table.
package icsdissect
