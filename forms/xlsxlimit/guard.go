package xlsxlimit

import (
	"errors"
	"io"
)

// errLongRun stops a text or a tag too long to be one token.
var errLongRun = errors.New("xlsxlimit: text or tag too long")

// runGuard passes a part's bytes to the XML decoder, failing once more than
// max bytes follow a '<' without another. The decoder holds a whole text or
// tag as one token, so without the guard one text of 60 MB would be held
// whole; a real cell's text is at most MaxCellBytes, a few times more in
// raw XML where characters are escaped.
type runGuard struct {
	r   io.Reader
	max int
	run int // bytes since the last '<'
}

func (g *runGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for i, b := range p[:n] {
		if b == '<' {
			g.run = 0
			continue
		}
		g.run++
		if g.run > g.max {
			return i, errLongRun
		}
	}
	return n, err
}
