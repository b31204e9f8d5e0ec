package conformance

import "github.com/icsdissect/icsdissect/pcapx"

func s7commSpec() Spec {
	return Spec{
		Proto:  pcapx.S7comm,
		Dir:    "s7comm",
		Detect: []string{"s7comm", "cotp"},
		Fields: []string{
			"cotp.type", "cotp.src-tsap", "cotp.dst-tsap", "cotp.tpdu_size",
			"s7comm.header.rosctr", "s7comm.header.pduref", "s7comm.header.errcls", "s7comm.header.errcod",
			"s7comm.param.func", "s7comm.param.itemcount", "s7comm.param.item.syntaxid",
			"s7comm.param.item.transp_size", "s7comm.param.item.length", "s7comm.param.item.db",
			"s7comm.param.item.area", "s7comm.param.item.address.byte", "s7comm.param.item.address.bit",
			"s7comm.data.returncode", "s7comm.param.userdata.funcgroup", "s7comm.param.userdata.subfunc",
			"s7comm.param.userdata.seq_num", "s7comm.data.userdata.szl_id", "s7comm.data.userdata.szl_index",
			"s7comm.param.maxamq_calling", "s7comm.param.maxamq_called", "s7comm.param.pdu_length",
		},
	}
}
