package conformance

import "github.com/icsdissect/icsdissect/pcapx"

// dnp3Spec compares DNP3 over TCP and UDP port 20000. Besides the fields
// CONFORMANCE.md asks for it compares the rest of the link header, the raw
// control octets and the object values the dissector emits.
//
// tshark runs with TCP out-of-order reassembly on: it then hands bytes it
// has already seen to no dissector, as pcapx drops retransmitted bytes.
// Without it tshark decodes TCP fast retransmissions (same sequence
// numbers, same payload) a second time, as in ndpi-dnp3.pcap frames 11 and
// 12, copies of frame 10.
func dnp3Spec() Spec {
	return Spec{
		Proto:      pcapx.DNP3,
		Dir:        "dnp3",
		Detect:     []string{"dnp3"},
		TsharkArgs: []string{"-o", "tcp.reassemble_out_of_order:TRUE"},
		Fields: []string{
			// CONFORMANCE.md's list.
			"dnp3.ctl.dir", "dnp3.ctl.prm", "dnp3.ctl.prifunc", "dnp3.ctl.secfunc", "dnp3.dst", "dnp3.src",
			"dnp3.tr.fir", "dnp3.tr.fin", "dnp3.tr.seq", "dnp3.al.fir", "dnp3.al.fin", "dnp3.al.con", "dnp3.al.uns",
			"dnp3.al.seq", "dnp3.al.func", "dnp3.al.iin", "dnp3.al.obj", "dnp3.al.objq.prefix", "dnp3.al.objq.range",
			"dnp3.al.range.start", "dnp3.al.range.stop", "dnp3.al.range.quantity", "dnp3.al.index", "dnp3.al.ana.int",
			"dnp3.al.ana.float", "dnp3.al.anaout.int", "dnp3.al.bit", "dnp3.al.cnt",
			// More of the link, transport and application headers.
			"dnp3.len", "dnp3.ctl", "dnp3.ctl.fcb", "dnp3.ctl.fcv", "dnp3.ctl.dfc", "dnp3.tr.ctl", "dnp3.al.ctl",
			// More of the objects.
			"dnp3.al.range.abs", "dnp3.al.size", "dnp3.al.2bit", "dnp3.al.ana.double", "dnp3.al.anaout.float",
			"dnp3.al.anaout.double", "dnp3.al.ctrlstatus", "dnp3.al.count", "dnp3.al.on_time", "dnp3.al.off_time",
			"dnp3.al.datatype", "dnp3.al.da.length", "dnp3.al.da.value", "dnp3.al.octet_string",
		},
	}
}
