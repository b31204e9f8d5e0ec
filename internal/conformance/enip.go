package conformance

import "github.com/icsdissect/icsdissect/pcapx"

func enipSpec() Spec {
	return Spec{
		Proto:      pcapx.ENIP,
		Dir:        "enip",
		Detect:     []string{"enip"},
		TsharkArgs: []string{"--disable-protocol", "idmp"},
		Fields: []string{
			"enip.command", "enip.session", "enip.status", "enip.cpf.typeid",
			"enip.cpf.cai.connid", "enip.cpf.sai.connid", "enip.cpf.sai.seq", "enip.lir.vendor", "enip.lir.devtype",
			"enip.lir.prodcode", "enip.lir.revision", "enip.lir.serial", "enip.lir.name", "cip.service", "cip.genstat",
			"cip.class", "cip.instance", "cip.attribute", "cip.member", "cip.symbol", "cip.msp.num_services",
			"cip.id.vendor_id", "cip.id.device_type", "cip.id.product_code", "cip.id.serial_number",
			"cip.id.product_name",
			"cipcm.ot_connid", "cipcm.to_connid", "cipcm.ot_rpi", "cipcm.to_rpi",
		},
	}
}
