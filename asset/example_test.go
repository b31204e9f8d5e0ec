package asset_test

import (
	"fmt"
	"strings"

	"github.com/icsdissect/icsdissect/asset"
	"github.com/icsdissect/icsdissect/pcapx"
)

// log prints each access with its values and each security operation.
type log struct{ asset.NopObserver }

func (log) Access(a asset.Access) {
	fmt.Printf("%-5s %s %s %s[%d]", a.Kind, a.Client.Addr, a.Proto, a.Space, a.Start)
	for i, v := range a.Values.All {
		if i == 4 {
			fmt.Print(" ...")
			break
		}
		fmt.Print(" ", v)
	}
	fmt.Printf(" (%s, %v)\n", a.Values.TypeName(), a.Latency())
}

func (log) Operation(o asset.Op) {
	if o.Action.Changes() || o.Action == asset.ActionUpload { // what changes the PLC, and program uploads
		fmt.Printf("op    %s %s %s %q\n", o.Client.Addr, o.Kind, o.Action, o.Target)
	}
}

// Example reads a capture into an inventory: it prints the accesses with
// their values and the security operations as they happen, then each
// device with its identity, mode and written tags.
func Example() {
	inv := asset.NewInventory(asset.InventoryConfig{Next: log{}})
	eng := asset.New(asset.Config{Observer: inv})
	cfg := pcapx.Config{}
	eng.Attach(&cfg)
	if _, err := pcapx.ReadFile("../testdata/s7comm_snap7.pcapng", cfg); err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range inv.Devices() {
		id := []string{"device", d.Addr.String(), fmt.Sprint(d.Protocols()), fmt.Sprintf("mode=%q", d.Mode)}
		for _, f := range []asset.Field{asset.FieldProduct, asset.FieldModel, asset.FieldFirmware, asset.FieldSerial, asset.FieldName} {
			if v, ok := d.Get(f); ok {
				id = append(id, f.String()+"="+v)
			}
		}
		fmt.Println(strings.Join(id, " "))
		for _, t := range d.Tags() {
			if t.Writes > 0 && t.Addr%8 == 0 {
				fmt.Printf("  %-5s = %-13s by %s\n", t.Name(), t.Value, t.LastWriter.Addr)
			}
		}
	}
	// Output:
	// op    134.217.61.131 program program_upload "SDB0 (A)"
	// op    134.217.61.131 program program_upload "SDB0 (A)"
	// op    134.217.61.131 program program_upload "SDB0 (A)"
	// op    134.217.61.131 program program_upload "SDB0 (A)"
	// op    134.217.61.131 program program_upload "OB0 (A)"
	// op    134.217.61.131 time_sync set_time "2016-02-08T23:08:10Z"
	// write 134.217.61.131 s7comm flags[16] 1.5184998e+35 (REAL, 3.305ms)
	// read  134.217.61.131 s7comm flags[16] 0 (REAL, 3.2ms)
	// write 134.217.61.131 s7comm flags[0] 44510 44510 44510 44510 ... (WORD, 3.181ms)
	// write 134.217.61.131 s7comm inputs[0] 170 170 170 170 ... (BYTE, 3.181ms)
	// write 134.217.61.131 s7comm outputs[0] 187 187 187 187 ... (BYTE, 3.181ms)
	// write 134.217.61.131 s7comm timers[0] efbe efbe efbe efbe ... (raw, 3.181ms)
	// write 134.217.61.131 s7comm counters[0] feca feca feca feca ... (raw, 3.181ms)
	// read  134.217.61.131 s7comm flags[0] 172 222 0 13 ... (BYTE, 3.219ms)
	// read  134.217.61.131 s7comm inputs[0] 170 170 170 170 ... (BYTE, 3.219ms)
	// read  134.217.61.131 s7comm outputs[0] 187 187 187 187 ... (BYTE, 3.219ms)
	// read  134.217.61.131 s7comm timers[0] 0s 0s 0s 0s ... (TIMER, 3.219ms)
	// read  134.217.61.131 s7comm counters[0] 11 0 0 0 ... (COUNTER, 3.219ms)
	// op    134.217.61.131 control stop ""
	// op    134.217.61.131 program copy_ram_to_rom "_MODU"
	// op    134.217.61.131 program compress_memory "_GARB"
	// op    134.217.61.131 control start "P_PROGRAM"
	// device 134.217.61.131 [s7comm] mode=""
	// device 134.217.61.211 [s7comm] mode="run" product=CPU 315-2 PN/DP model=6ES7 315-2EH14-0AB0 firmware=V3.2.7 serial=S C-B1U393142011 name=S7300/ET200M station_1
	//   IB0   = 170           by 134.217.61.131
	//   IB8   = 187           by 134.217.61.131
	//   QB0   = 187           by 134.217.61.131
	//   QB8   = 173           by 134.217.61.131
	//   MB0   = 172           by 134.217.61.131
	//   MB8   = 173           by 134.217.61.131
	//   MW16  = 61374         by 134.217.61.131
	//   MW24  = 61374         by 134.217.61.131
}
