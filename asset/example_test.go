package asset_test

import (
	"fmt"
	"time"

	"github.com/icsdissect/icsdissect/asset"
	"github.com/icsdissect/icsdissect/pcapx"
)

// logger prints each write with its values and each security operation.
type logger struct{ asset.NopObserver }

func (logger) Access(a asset.Access) {
	if a.Kind != asset.OpWrite {
		return
	}
	fmt.Printf("%s %s wrote unit %d %s %d:", a.Client.Addr, a.Proto, a.Unit, a.Space, a.Start)
	for _, v := range a.Values.All {
		fmt.Print(" ", v)
	}
	fmt.Println()
}

func (logger) Operation(o asset.Op) {
	if o.Kind != asset.OpRead && o.Kind != asset.OpWrite {
		fmt.Printf("%s %s %s %s (%s)\n", o.Client.Addr, o.Proto, o.Kind, o.Action, o.Target)
	}
}

// Example reads a capture into an inventory, printing the writes and the
// operations as they happen, then each device with its identity and tags.
func Example() {
	inv := asset.NewInventory(asset.InventoryConfig{Next: logger{}})
	eng := asset.New(asset.Config{Observer: inv})
	cfg := pcapx.Config{}
	eng.Attach(&cfg)
	if _, err := pcapx.ReadFile("../testdata/modbus_example.pcap", cfg); err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range inv.Devices() {
		vendor, _ := d.Get(asset.FieldVendor)
		firmware, _ := d.Get(asset.FieldFirmware)
		fmt.Printf("device %s %v vendor %q firmware %q, %d tags\n", d.Addr, d.Protocols(), vendor, firmware, len(d.Tags()))
		for _, t := range d.Tags() {
			if t.Writes > 0 {
				fmt.Printf("  %-30s = %-6s written by %s at %s\n", t.Name(), t.Value, t.LastWriter.Addr,
					time.Unix(0, t.LastWrite).UTC().Format(time.TimeOnly))
			}
		}
	}
	// Output:
}
