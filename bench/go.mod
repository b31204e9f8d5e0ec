module github.com/icsdissect/icsdissect/bench

go 1.25.0

replace github.com/icsdissect/icsdissect => ../

require (
	github.com/google/gopacket v1.1.19 // indirect
	github.com/gopacket/gopacket v1.7.7 // indirect
	github.com/icsdissect/icsdissect v0.0.0-00010101000000-000000000000 // indirect
	github.com/nblair2/go-dnp3 v1.1.0 // indirect
	github.com/thinkgos/go-iecp5 v1.2.1 // indirect
)
