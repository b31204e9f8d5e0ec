package conformance

import "github.com/icsdissect/icsdissect/pcapx"

func modbusSpec() Spec {
	return Spec{
		Proto:  pcapx.Modbus,
		Dir:    "modbus",
		Detect: []string{"mbtcp", "modbus"},
		Fields: []string{
			"mbtcp.trans_id", "mbtcp.unit_id", "mbtcp.len", "modbus.func_code", "modbus.exception_code",
			"modbus.reference_num", "modbus.word_cnt", "modbus.bit_cnt", "modbus.byte_cnt", "modbus.regval_uint16",
			"modbus.bitval", "modbus.and_mask", "modbus.or_mask", "modbus.diagnostic_code", "modbus.mei",
			"modbus.read_device_id", "modbus.object_id", "modbus.object_str_value", "modbus.conformity_level",
			"modbus.more_follows", "modbus.next_object_id",
		},
	}
}
