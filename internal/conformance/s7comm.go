package conformance

import "github.com/icsdissect/icsdissect/pcapx"

// s7commSpec compares TPKT, COTP and S7comm. tshark 4.0 has no S7comm-plus
// dissector: those frames are compared on their TPKT and COTP fields.
func s7commSpec() Spec {
	return Spec{
		Proto:  pcapx.S7comm,
		Dir:    "s7comm",
		Detect: []string{"s7comm", "cotp"},
		Fields: []string{
			// CONFORMANCE.md's list.
			"cotp.type", "cotp.src-tsap", "cotp.dst-tsap", "cotp.tpdu_size",
			"s7comm.header.rosctr", "s7comm.header.pduref", "s7comm.header.errcls", "s7comm.header.errcod",
			"s7comm.param.func", "s7comm.param.itemcount", "s7comm.param.item.syntaxid",
			"s7comm.param.item.transp_size", "s7comm.param.item.length", "s7comm.param.item.db",
			"s7comm.param.item.area", "s7comm.param.item.address.byte", "s7comm.param.item.address.bit",
			"s7comm.data.returncode", "s7comm.param.userdata.funcgroup", "s7comm.param.userdata.subfunc",
			"s7comm.param.userdata.seq_num", "s7comm.data.userdata.szl_id", "s7comm.data.userdata.szl_index",
			"s7comm.param.maxamq_calling", "s7comm.param.maxamq_called", "s7comm.param.pdu_length",
			// TPKT and COTP headers.
			"tpkt.version", "tpkt.length", "cotp.li", "cotp.srcref", "cotp.class",
			"cotp.tpdu-number", "cotp.eot",
			// S7 header and items.
			"s7comm.header.protid", "s7comm.header.redid", "s7comm.header.parlg", "s7comm.header.datlg",
			"s7comm.param.setup_reserved1", "s7comm.param.item.varspec", "s7comm.param.item.varspec_length",
			"s7comm.param.item.address.number", "s7comm.param.item.dbread.numareas",
			"s7comm.param.item.dbread.length", "s7comm.param.item.dbread.db", "s7comm.param.item.dbread.startaddress",
			"s7comm.data.transportsize", "s7comm.resp.data",
			// Block transfer and PI service.
			"s7comm.param.blockcontrol.functionstatus", "s7comm.param.blockcontrol.filename",
			"s7comm.data.blockcontrol.block_type", "s7comm.data.blockcontrol.block_number",
			"s7comm.data.blockcontrol.dest_filesys", "s7comm.param.pistart.servicename",
			"s7comm.param.pistart.argument",
			// Userdata.
			"s7comm.param.userdata.head", "s7comm.param.userdata.length", "s7comm.param.userdata.reqres1",
			"s7comm.param.userdata.type", "s7comm.param.userdata.dataunitref",
			"s7comm.param.userdata.lastdataunit", "s7comm.param.errcod", "s7comm.param.modetrans.subfunc",
			"s7comm.data.userdata.szl_id.partlist_len", "s7comm.data.userdata.szl_id.partlist_cnt",
			"s7comm.cyclic.interval_timebase", "s7comm.cyclic.interval_time",
			"s7comm.alarm.function", "s7comm.alarm.nr_objects", "s7comm.alarm.event_id",
			"s7comm.tis.parametersize", "s7comm.tis.datasize", "s7comm.varstat.item_count",
			"s7comm.varstat.req.memory_area", "s7comm.varstat.req.db_number", "s7comm.varstat.req.startaddress",
			"s7comm.data.ts_reserved", "s7comm.data.ts_year1", "s7comm.data.ts_year2", "s7comm.data.ts_month",
			"s7comm.data.ts_day", "s7comm.data.ts_hour", "s7comm.data.ts_minute", "s7comm.data.ts_second",
			"s7comm.data.ts_millisecond", "s7comm.data.ts_weekday",
			"s7comm.blockinfo.block_count", "s7comm.blockinfo.block_num", "s7comm.blockinfo.block_lang",
			// SZL records.
			"s7comm.szl.0000.0000.szl_id",
			"s7comm.szl.xy11.0001.index", "s7comm.szl.xy11.0001.anz", "s7comm.szl.xy11.0001.bgtyp",
			"s7comm.szl.xy11.0001.ausbg", "s7comm.szl.xy11.0001.ausbe",
			"s7comm.szl.001c.000x.index", "s7comm.szl.001c.0001.name", "s7comm.szl.001c.0002.name",
			"s7comm.szl.001c.0003.tag", "s7comm.szl.001c.0004.copyright", "s7comm.szl.001c.0005.serialn",
			"s7comm.szl.001c.0007.cputypname", "s7comm.szl.001c.0008.snmcmmc",
			"s7comm.szl.001c.0009.manufacturer_id", "s7comm.szl.001c.0009.profile_id",
			"s7comm.szl.001c.000a.oem_id", "s7comm.szl.001c.000a.oem_add_id", "s7comm.szl.001c.000b.loc_id",
			"s7comm.szl.0131.0001.pdu", "s7comm.szl.0131.0001.anz", "s7comm.szl.0131.0001.mpi_bps",
			"s7comm.szl.0131.0001.kbus_bps",
			"s7comm.szl.0132.0004.key", "s7comm.szl.0132.0004.param", "s7comm.szl.0132.0004.real",
			"s7comm.szl.0132.0004.bart_sch", "s7comm.szl.0132.0004.ken_ver1_hw",
			"s7comm.szl.0424.0000.ereig", "s7comm.szl.0424.0000.ae", "s7comm.szl.0424.0000.bzu_id",
			"s7comm.szl.xy74.0000.cpu_led_id", "s7comm.szl.xy74.0000.led_on", "s7comm.szl.xy74.0000.led_blink",
			"s7comm.cpu.diag_msg.eventid", "s7comm.cpu.diag_msg.prioclass", "s7comm.cpu.diag_msg.obnumber",
			"s7comm.cpu.diag_msg.datid", "s7comm.cpu.diag_msg.info1", "s7comm.cpu.diag_msg.info2",
		},
	}
}
