package conformance

import "github.com/icsdissect/icsdissect/pcapx"

// iec104Spec compares CONFORMANCE.md's IEC 104 fields and every other
// element field that Wireshark 4.0 decodes: the quality descriptor bits,
// command qualifiers, counter readings and the parts of the time tags.
func iec104Spec() Spec {
	return Spec{
		Proto:  pcapx.IEC104,
		Dir:    "iec104",
		Detect: []string{"iec60870_104", "iec60870_asdu"},
		Fields: []string{
			// CONFORMANCE.md
			"iec60870_104.type", "iec60870_104.utype", "iec60870_104.tx", "iec60870_104.rx", "iec60870_104.apdulen",
			"iec60870_asdu.typeid", "iec60870_asdu.sq", "iec60870_asdu.numix", "iec60870_asdu.causetx",
			"iec60870_asdu.nega", "iec60870_asdu.test", "iec60870_asdu.oa", "iec60870_asdu.addr", "iec60870_asdu.ioa",
			"iec60870_asdu.float", "iec60870_asdu.normval", "iec60870_asdu.scalval", "iec60870_asdu.siq.spi",
			"iec60870_asdu.diq.dpi", "iec60870_asdu.qds.iv", "iec60870_asdu.cp56time", "iec60870_asdu.sco.on",
			"iec60870_asdu.dco.on", "iec60870_asdu.qoi", "iec60870_asdu.bcr.count",
			// More of Wireshark's element fields.
			"iec60870_asdu.siq", "iec60870_asdu.siq.bl", "iec60870_asdu.siq.sb", "iec60870_asdu.siq.nt", "iec60870_asdu.siq.iv",
			"iec60870_asdu.diq", "iec60870_asdu.diq.bl", "iec60870_asdu.diq.sb", "iec60870_asdu.diq.nt", "iec60870_asdu.diq.iv",
			"iec60870_asdu.qds", "iec60870_asdu.qds.ov", "iec60870_asdu.qds.bl", "iec60870_asdu.qds.sb", "iec60870_asdu.qds.nt",
			"iec60870_asdu.vti", "iec60870_asdu.vti.v", "iec60870_asdu.vti.t", "iec60870_asdu.bitstring",
			"iec60870_asdu.bcr.sq", "iec60870_asdu.bcr.cy", "iec60870_asdu.bcr.ca", "iec60870_asdu.bcr.iv",
			"iec60870_asdu.sco", "iec60870_asdu.sco.qu", "iec60870_asdu.sco.se",
			"iec60870_asdu.dco", "iec60870_asdu.dco.qu", "iec60870_asdu.dco.se",
			"iec60870_asdu.rco", "iec60870_asdu.rco.up", "iec60870_asdu.rco.qu", "iec60870_asdu.rco.se",
			"iec60870_asdu.qos", "iec60870_asdu.qos.ql", "iec60870_asdu.qos.se",
			"iec60870_asdu.qpm", "iec60870_asdu.qpm.kpa", "iec60870_asdu.qpm.lpc", "iec60870_asdu.qpm.pop",
			"iec60870_asdu.coi", "iec60870_asdu.coi_r", "iec60870_asdu.coi_i",
			"iec60870_asdu.qcc", "iec60870_asdu.rqt", "iec60870_asdu.frz", "iec60870_asdu.qrp",
			"iec60870_asdu.cp24time.ms", "iec60870_asdu.cp24time.min", "iec60870_asdu.cp24time.iv",
			"iec60870_asdu.cp56time.ms", "iec60870_asdu.cp56time.min", "iec60870_asdu.cp56time.gen",
			"iec60870_asdu.cp56time.iv", "iec60870_asdu.cp56time.hour", "iec60870_asdu.cp56time.su",
			"iec60870_asdu.cp56time.day", "iec60870_asdu.cp56time.dow", "iec60870_asdu.cp56time.month",
			"iec60870_asdu.cp56time.year", "iec60870_asdu.rawdata",
		},
	}
}
