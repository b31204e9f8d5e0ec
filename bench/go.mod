module github.com/icsdissect/icsdissect/bench

go 1.25.0

replace github.com/icsdissect/icsdissect => ../

require (
	github.com/gopacket/gopacket v1.7.7
	github.com/icsdissect/icsdissect v0.0.0-00010101000000-000000000000
	github.com/nblair2/go-dnp3 v1.1.0
	github.com/thinkgos/go-iecp5 v1.2.1
)

require (
	github.com/google/gopacket v1.1.19 // indirect
	golang.org/x/net v0.55.0 // indirect
	golang.org/x/sys v0.45.0 // indirect
)
