package api

import "net"

// listen opens the TCP listener, so that the caller learns the real address
// (port 0 picks a free one) before serving starts.
func listen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }
