package conformance

import "github.com/icsdissect/icsdissect/pcapx"

// modbusSpec compares Modbus/TCP over port 502. Beyond CONFORMANCE.md's
// list it compares the protocol id, register and bit numbers (which need the
// request paired with its response), the read/write reference numbers and
// counts of function 23, the 16-bit byte count of function 24, raw data
// fields, the device identification object lengths and counts, every
// Diagnostics sub-function field tshark names, the event counter and event
// log fields, and the file record groups of functions 20 and 21 (reference
// type, 32-bit reference: file number and record number, word count, data).
func modbusSpec() Spec {
	return Spec{
		Proto:  pcapx.Modbus,
		Dir:    "modbus",
		Detect: []string{"mbtcp", "modbus"},
		Fields: []string{
			"mbtcp.trans_id", "mbtcp.prot_id", "mbtcp.unit_id", "mbtcp.len",
			"modbus.func_code", "modbus.exception_code",
			"modbus.reference_num", "modbus.word_cnt", "modbus.bit_cnt", "modbus.byte_cnt", "modbus.byte_cnt_16",
			"modbus.regnum16", "modbus.regval_uint16", "modbus.bitnum", "modbus.bitval",
			"modbus.read_reference_num", "modbus.read_word_cnt", "modbus.write_reference_num", "modbus.write_word_cnt",
			"modbus.and_mask", "modbus.or_mask",
			"modbus.diagnostic_code", "modbus.diagnostic.return_query_data.request",
			"modbus.diagnostic.return_query_data.echo", "modbus.diagnostic.restart_communication_option",
			"modbus.diagnostic.return_diag_register", "modbus.diagnostic.ascii_input_delimiter",
			"modbus.diagnostic.clear_ctr_diag_reg",
			"modbus.diagnostic.bus_message_count", "modbus.diagnostic.bus_comm_error_count",
			"modbus.diagnostic.bus_exception_error_count", "modbus.diagnostic.slave_message_count",
			"modbus.diagnostic.no_slave_response_count", "modbus.diagnostic.slave_nak_count",
			"modbus.diagnostic.slave_busy_count", "modbus.diagnostic.bus_char_overrun_count",
			"modbus.ev_status", "modbus.ev_count", "modbus.ev_msg_count", "modbus.event",
			"modbus.reference_type", "modbus.reference_num_32",
			"modbus.mei", "modbus.read_device_id", "modbus.object_id", "modbus.num_objects", "modbus.objects_len",
			"modbus.object_str_value", "modbus.object_value",
			"modbus.conformity_level", "modbus.more_follows", "modbus.next_object_id",
			"modbus.data",
		},
		Normalize: modbusNormalize,
	}
}

// modbusNormalize maps tshark's "<MISSING>" (a zero-length data item, which
// tshark adds for a Write Multiple Coils request with no bytes or a FIFO
// response with no registers) to the empty value we emit.
func modbusNormalize(field, value string) string {
	if value == "<MISSING>" {
		return ""
	}
	return value
}
