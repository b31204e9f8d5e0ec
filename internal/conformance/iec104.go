package conformance

import "github.com/icsdissect/icsdissect/pcapx"

func iec104Spec() Spec {
	return Spec{
		Proto:  pcapx.IEC104,
		Dir:    "iec104",
		Detect: []string{"iec60870_104", "iec60870_asdu"},
		Fields: []string{
			"iec60870_104.type", "iec60870_104.utype", "iec60870_104.tx", "iec60870_104.rx", "iec60870_104.apdulen",
			"iec60870_asdu.typeid", "iec60870_asdu.sq", "iec60870_asdu.numix", "iec60870_asdu.causetx",
			"iec60870_asdu.nega", "iec60870_asdu.test", "iec60870_asdu.oa", "iec60870_asdu.addr", "iec60870_asdu.ioa",
			"iec60870_asdu.float", "iec60870_asdu.normval", "iec60870_asdu.scalval", "iec60870_asdu.siq.spi",
			"iec60870_asdu.diq.dpi", "iec60870_asdu.qds.iv", "iec60870_asdu.cp56time", "iec60870_asdu.sco.on",
			"iec60870_asdu.dco.on", "iec60870_asdu.qoi", "iec60870_asdu.bcr.count",
		},
	}
}
