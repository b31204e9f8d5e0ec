// Package asset turns the traffic of the five protocol packages (Modbus,
// S7comm, EtherNet/IP with CIP, DNP3, IEC 60870-5-104) into what a security
// team asks of it: the devices with their identity, every read and write
// with its values, the operations that matter (a PLC stopped, a program
// downloaded, the clock set), and what changed. Delivering an access or an
// operation event allocates nothing.
//
// # Feeding the engine
//
// An [Engine] keeps, per flow, the protocol package's Conn (which pairs
// requests with responses, reassembles and follows sequence numbers) and
// maps its messages to events. From a capture, pcapx feeds it in one line:
//
//	eng := asset.New(asset.Config{Observer: obs})
//	cfg := pcapx.Config{}
//	eng.Attach(&cfg) // cfg.Handler = eng.PDU, cfg.OnFlow = eng.Flow
//	pcapx.ReadFile("plant.pcapng", cfg)
//
// The flow's state lives in the pcapx flow slot and is released when pcapx
// ends the flow (FIN, RST, idle, eviction, end of input): its unanswered
// requests are then reported. Any other packet source calls
// [Engine.Packet] with addresses, ports, MAC addresses, direction, time and
// one PDU (for TCP, as the protocol's Split cuts it); the state then lives
// in the engine's own table, bounded by [Config.MaxFlows] (the least
// recently used flow is ended when it is full), and [Engine.Flush] ends
// every flow at the end of input.
//
// # Events
//
// The engine pushes events to an [Observer] by value: [Access] (one read or
// write, request and response paired, with typed [Values]), [Op] (an
// operation other than a plain read or write, classed by [Operation] and
// [Action]), [Identity] (what a device says about itself, each attribute
// with its frame) and [Change] (what an [Inventory] noticed). Access and Op
// are fixed-size values: passing them through the interface does not make
// them escape, so delivering them allocates nothing. Identity and Change
// events are rare and allocate. Embed [NopObserver] to handle only some
// kinds.
//
// Each event has a [Meta]: protocol, client and server (address, port,
// MAC), VLAN, station ([Meta.Unit]), transaction, function, status, the
// times and frames of request and response (so the latency), and [Flags]
// (paired, unanswered, unmatched, unsolicited, routed, ...). A write
// carries the values written (from the request), a read the values read
// (from the response). Requests that never get a response are reported
// when their flow ends, flagged unanswered; requests a connection's pending
// table drops (when it is full, or for a request reusing a pending id) are
// counted in [Stats.Dropped] and, except for EtherNet/IP writes and DNP3
// writes and commands (which the engine keeps until their reply, within a
// bound), not reported: the protocol Conns do not hand the dropped request
// back.
//
// # Values
//
// [Values] is a view of the protocol's bytes with its type code and count;
// [Values.At] and [Values.All] decode each element with the protocol
// package's decoders into a [Value], a small tagged union: booleans,
// signed and unsigned integers, 32-bit floats kept distinct from 64-bit
// ones (an S7 or CIP REAL prints as the float32 sent: 0.1, not
// 0.10000000149011612), text, bytes, times, durations and DNP3 control
// blocks, with the element's address, quality flags and time stamp.
// Modbus registers have helpers for 32-bit integers and floats in both word
// orders ([Values.Uint32], [Values.Float32]).
//
// # Memory
//
// Per flow the engine keeps about 2.4 KB besides what the protocol's Conn
// allocates on need (a flow record of 336 bytes and its protocol's state:
// Modbus 2.0 KB, S7 2.3 KB, EtherNet/IP 1.5 KB and 18 KB more on its first
// write, DNP3 2.4 KB, IEC 104 1.0 KB, each with the protocol's Conn). A
// flow's memory is kept for the next flow of its protocol when the flow
// ends; a flow of the same endpoints takes back its own when it is among
// the 8 ended last, so a conversation that comes back finds the buffers its
// Conn grew. Events name unknown codes by their number ("function 0x64"):
// those texts are made once per code (8-bit codes at start-up, wider ones in
// a fixed cache of 64 per Engine), not per event.
//
// # Lifetime
//
// Events and the views inside them (Values, Address.Symbol, Op.Target) are
// valid only during the Observer call: they alias the protocol Conn's
// buffers and the engine's scratch. Clone keeps them ([Access.Clone],
// [Op.Clone], [Value.Clone], [Values.Clone]).
//
// # Inventory and changes
//
// An [Inventory] is an Observer that builds, from the events, one [Device]
// per address: roles per protocol (client and server, master and
// outstation), protocols, peers, first and last seen, MAC addresses, mode,
// the merged identity (values that disagree are all kept, each with its
// source) and the tag table (each register, tag element, point or
// information object with its reads, writes, last value, last writer and
// time). It passes every event on to its Next observer, followed by the
// changes it noticed: a new device, protocol or client, an identity value
// that changed, the first write to a tag, a program or firmware transfer, a
// run/stop mode change. Its tables are bounded ([InventoryConfig]); an
// access to a known tag allocates nothing.
//
// # JSON
//
// [Encoder] writes events and devices as JSON objects with Elastic Common
// Schema names where ECS has the field and ics.* for the rest, documented
// with the mapping of every field Zeek's ICSNPP parsers log in SCHEMA.md.
// [JSONLines] is an Observer that writes JSON lines with a reused buffer,
// allocating nothing per access or operation.
//
// # Protocols
//
// Modbus: reads and writes of coils, discrete inputs, holding and input
// registers, file records and FIFO queues with their values; diagnostics;
// Read Device Identification (objects joined over several responses,
// private objects kept as bytes) and Report Server ID (kept raw); Schneider
// UMAS functions classed (start, stop, program transfer, reservation).
//
// S7comm: read and write var, cyclic data and programmer commands (variable
// status, modify, force) with values typed by the request's transport size;
// PLC stop and PI services (start, block delete, compress, copy RAM to ROM),
// block upload and download with block and length, block lists, clock read
// and set, passwords; identity from SZL 0x0011, 0x001C and 0x0424 (mode) and
// the rack and slot of the connection request; S7comm-plus reported as
// seen, with its functions.
//
// EtherNet/IP and CIP: Logix tag reads and writes (symbolic names, atomic
// types, strings, arrays), attribute reads and writes, inside Multiple
// Service Packets and Unconnected Sends (the route's port and slot as the
// unit, flagged routed); Start, Stop, Reset, file transfers, PCCC; identity
// from ListIdentity, the Identity object (Get Attributes All, single and
// list), the TCP/IP object's host name, the Ethernet Link object's MAC, and
// the electronic keys of Forward Opens; implicit I/O as accesses of the
// connection's assembly.
//
// DNP3: reads and unsolicited responses (points with flags and times,
// relative times made absolute by their common time of occurrence),
// select, operate, direct operate with control relay output blocks and
// analog outputs and their status, writes; restarts, application and
// configuration functions, freezes, time synchronisation, file transfer,
// secure authentication; identity from group 0 attributes and the link
// addresses.
//
// IEC 104: monitoring data (spontaneous, periodic, interrogated, read) with
// quality and time tags; commands and set points with their activation,
// confirmation and termination (select, execute after select, direct);
// interrogations, clock synchronisation, reset process, parameters, file
// transfer; STARTDT and STOPDT; the common addresses a station uses and its
// end of initialisation.
//
// Vendor, device type and class names of CIP come from the public ODVA
// lists ([VendorName], [DeviceTypeName], [ClassName]).
//
// [OpFirmware] is part of the taxonomy for observers and other sources; no
// adapter produces it yet, because no public specification of these
// protocols defines a firmware transfer: the firmware updates of the
// corpus use vendor-specific CIP services (class 0xA1), reported as vendor
// operations.
package asset
