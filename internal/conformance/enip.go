package conformance

import "github.com/icsdissect/icsdissect/pcapx"

func enipSpec() Spec {
	return Spec{
		Proto: pcapx.ENIP,
		Dir:   "enip",
		// cipio marks class 0/1 I/O on UDP 2222, which carries no
		// encapsulation header and so no "enip" layer.
		Detect:     []string{"enip", "cipio"},
		TsharkArgs: []string{"--disable-protocol", "idmp"},
		Fields: []string{
			"enip.command", "enip.session", "enip.status", "enip.cpf.typeid",
			"enip.cpf.cai.connid", "enip.cpf.sai.connid", "enip.cpf.sai.seq", "enip.lir.vendor", "enip.lir.devtype",
			"enip.lir.prodcode", "enip.lir.revision", "enip.lir.serial", "enip.lir.name", "cip.service", "cip.genstat",
			"cip.class", "cip.instance", "cip.attribute", "cip.member", "cip.symbol", "cip.msp.num_services",
			"cip.id.vendor_id", "cip.id.device_type", "cip.id.product_code", "cip.id.serial_number",
			"cip.id.product_name",
			// Forward Open / Close (tshark's cipcm protocol names its
			// fields cip.cm.*).
			"cip.cm.ot_connid", "cip.cm.to_connid", "cip.cm.otrpi", "cip.cm.torpi",
			"cip.cm.conn_serial_num", "cip.cm.vendor", "cip.cm.orig_serial_num",
			// More than the minimum list.
			"enip.length", "enip.options", "enip.cpf.itemcount", "enip.cpf.length", "enip.lir.status",
			"enip.lir.state", "enip.encapver", "enip.sinport", "enip.rs.version", "enip.lsr.servicename",
			"cip.seq", "cip.id.status", "cip.id.major_rev", "cip.id.minor_rev",
			"cip.request_path_size", "cip.addstat_size", "cip.addstat", "cip.port", "cip.linkaddress.byte",
			"cip.cm.connpath_size", "cip.cm.route_path_size", "cip.pccc.resp.code", "cip.cm.transport_type_trigger",
			"cip.cm.timeout_multiplier", "cip.pccc.cmd.code", "cip.pccc.tns.code", "cip.pccc.fnc.code_0f",
			"cip.tcpip.hostname",
		},
	}
}
