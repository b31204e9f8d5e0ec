package enip

import "github.com/icsdissect/icsdissect/internal/testkit"

// Test vectors. Those named after a capture are real bytes: the TCP or UDP
// payload of that frame in ../shared/captures/enip (see testdata/README.md).
// The Read Tag pair is built by hand in the Logix layout (CIP Vol. 1 and
// Rockwell's Logix data access manual) because the corpus holds no
// unconnected symbolic Read Tag.
var (
	// suricata-enip-alert-enip_test1.pcap frame 4: ListIdentity request.
	hexListIdentityRequest = "63000000000000000000000000000000c1debed100000000"
	// suricata-enip-alert-enip_test1.pcap frame 6: ListIdentity reply,
	// 1756-ENBT/A.
	hexListIdentityReply = "63003300000000000000000000000000c1debed10000000001000c002d0001000002af120a0101a4000000000000000001000c003a00040330008e4d52000b313735362d454e42542f4103"
	// iti-cip-cip_only.pcap frame 475: SendRRData Forward Open request.
	hexForwardOpen = "6f003e0009a6183f000000005936060038bc270c00000000000000001400020000000000b2002e00540220062401079b060000800500fe8006004d00e0312b3d023d0600d01213001243d01213001243a30220022401"
	// iti-cip-cip_only.pcap frame 478: its Forward Open reply.
	hexForwardOpenReply = "6f002e0009a6183f000000005936060038bc270c00000000000000000004020000000000b2001e00d40000006ef3240a0500fe8006004d00e0312b3dd0121300d01213000000"
	// iti-openics-EIP-FirmwareChange.pcap frame 10677: ListServices reply.
	hexListServicesReply = "04001a00000000000000000000000000000000000000000001000001140001002001436f6d6d756e69636174696f6e730000"
	// iti-openics-EIP-RebootorRestart.pcap frame 8: Unconnected Send with
	// an embedded Get_Attributes_All to Identity.
	hexUnconnectedSend = "6f0024000001021100000000b39b02002008e10000000000000000002000020000000000b200140052022006240107f9060001022001240101000100"
	// iti-openics-EIP-RebootorRestart.pcap frame 10: its reply, the
	// Identity Get_Attributes_All reply (1756-L61/B LOGIX5561).
	hexIdentityReply = "6f0037000001021100000000b39b02002008e10000000000000000002000020000000000b20027008100000001000e003600101460303f82510014313735362d4c36312f42204c4f47495835353631"
	// ndpi-cip_io.pcap frame 1: class 1 implicit I/O on UDP 2222.
	hexIO = "020002800800787b3a00e8cb5e04b1000c000300fdffffffffffffff0000"
	// icsnpp-multiple_service_packet_cip.pcapng frame 1: SendUnitData with
	// a Multiple Service Packet of 11 Get Attribute List requests.
	hexMSPRequest = "7000ba0000010211000000000000000000000000000000000000000001000200a1000400010b7c00b100a60089070a02200224010b00180022002c0036004c005800640072007c008a0094000302200124010100050003022069240001000b0003022073240101000200030220ac240107000100020003000500070009000a000303206825002024010013000302207024010200120013000302208e240103000300080010000302206924000100090003022068240003000f0018001900030220772401010002000302208b240101000600"
	// iti-ethernetip-EthernetIP-CIP.pcap frame 4677, third PDU: SendUnitData
	// with a Multiple Service Packet of Read-Modify-Write Tag requests on
	// ANSI symbolic paths.
	hexMSPSymbolic = "7000aa00000502130000000020c2be000000000000000000000000000a000200a100040004292e00b1009600dbee0a022002240104000a00280046006a004e0c91164c4d535f44495341424c455f32445343414e4e455231010001ff4e0c91164c4d535f44495341424c455f32445343414e4e455232010001ff4e0f911b4c4d535f44495341424c455f424152434f44455f5343414e4e455200010000fe4e0f911b4c4d535f534554504f494e544348414e47455f524543454956454400010000fe"
	// iti-ethernetip-EthernetIP-CIP.pcap frame 1: SendUnitData on
	// connection 0x00351309, sequence 27364, a Multiple Service Packet of
	// two services 0x4C on class 0x72.
	hexConnMSPRequest = "70003a0000010210000000001a392f000000000000000000000000000a000200a100040009133500b1002600e46a0a02200224010200060012004c022072240000ce040001004c02207224002c3d04000100"
	// iti-ethernetip-EthernetIP-CIP.pcap frame 7: its reply on connection
	// 0x8000f1d7, sequence 27364.
	hexConnMSPReply = "7000300000010210000000000000000000000000000000000000000000000200a1000400d7f10080b1001c00e46a8a000000020006000e00cc00000001000000cc00000005000000"
	// iti-cip-cip_only.pcap frame 477: SendUnitData Execute PCCC request
	// (typed logical read) on connection 0x09a56fac, sequence 58188.
	hexPCCCRequest = "70003a0009a6183f000000000000000000000000000000000000000001000200a1000400ac6fa509b10026004ce34b0220672401074d00e0312b3d0f004fc6a3ff944fffd64fffd84fff884fffbe4fffc04f"
	// iti-cip-cip_only.pcap frame 479: its reply on connection 0x80fe0001.
	hexPCCCReply = "7000370009a6183f000000000000000000000000000000000000000000000200a10004000100fe80b10023004ce3cb000000074d00e0312b3d4f004fc600000000000000ffff00000000000000ffff"

	// Built: SendRRData Read Tag request for Program:Main.Motor[3].Speed,
	// one element.
	hexReadTagRequest = "6f003400" + "00010211" + "00000000" + "0102030405060708" + "00000000" +
		"00000000" + "0a00" + "0200" + "00000000" + "b2002400" +
		"4c10" + "910c" + "50726f6772616d3a4d61696e" + "9105" + "4d6f746f7200" + "2803" + "9105" + "537065656400" + "0100"
	// Built: its reply, a REAL 1500.5.
	hexReadTagReply = "6f001a00" + "00010211" + "00000000" + "0102030405060708" + "00000000" +
		"00000000" + "0a00" + "0200" + "00000000" + "b2000a00" +
		"cc000000" + "ca00" + "0090bb44"
)

func mustHex(s string) []byte { return testkit.Hex(s) }

// allVectors lists every vector, for seeds and whole-corpus checks.
func allVectors() [][]byte {
	var out [][]byte
	for _, h := range []string{hexListIdentityRequest, hexListIdentityReply, hexForwardOpen, hexForwardOpenReply,
		hexListServicesReply, hexUnconnectedSend, hexIdentityReply, hexMSPRequest,
		hexMSPSymbolic, hexConnMSPRequest, hexConnMSPReply, hexPCCCRequest, hexPCCCReply,
		hexReadTagRequest, hexReadTagReply} {
		out = append(out, mustHex(h))
	}
	return out
}
