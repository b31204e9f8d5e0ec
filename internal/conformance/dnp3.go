package conformance

import "github.com/icsdissect/icsdissect/pcapx"

func dnp3Spec() Spec {
	return Spec{
		Proto:  pcapx.DNP3,
		Dir:    "dnp3",
		Detect: []string{"dnp3"},
		Fields: []string{
			"dnp3.ctl.dir", "dnp3.ctl.prm", "dnp3.ctl.prifunc", "dnp3.ctl.secfunc", "dnp3.dst", "dnp3.src",
			"dnp3.tr.fir", "dnp3.tr.fin", "dnp3.tr.seq", "dnp3.al.fir", "dnp3.al.fin", "dnp3.al.con", "dnp3.al.uns",
			"dnp3.al.seq", "dnp3.al.func", "dnp3.al.iin", "dnp3.al.obj", "dnp3.al.objq.prefix", "dnp3.al.objq.range",
			"dnp3.al.range.start", "dnp3.al.range.stop", "dnp3.al.range.quantity", "dnp3.al.index", "dnp3.al.ana.int",
			"dnp3.al.ana.float", "dnp3.al.anaout.int", "dnp3.al.bit", "dnp3.al.cnt",
		},
	}
}
