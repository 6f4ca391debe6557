package xlsxlimit

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"io"
	"math"
	"path"
	"strings"
)

// Check reads the workbook in data as a stream and returns what it holds,
// or the first limit it exceeds as an *Error, or an *UnreadableError when
// it is not a zip archive of well-formed XML parts, or ctx's error when ctx
// ends first. Nothing the workbook holds is kept in memory: the cost is the
// archive's directory and a few buffers. The workbook's own sheets and
// relationships are read first, so that limits found in a worksheet name
// the sheet as the workbook shows it.
func Check(ctx context.Context, data []byte, lim Limits) (Counts, error) {
	if err := ctx.Err(); err != nil {
		return Counts{}, err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Counts{}, &UnreadableError{Err: err}
	}
	c := &checker{ctx: ctx, lim: lim, sheetOf: map[string]string{}, relTargets: map[string]map[string]string{}}
	if err := c.archive(zr.File); err != nil {
		return c.counts, err
	}
	var later []*zip.File
	for _, f := range zr.File {
		name := partName(f.Name)
		if !strings.HasSuffix(name, "workbook.xml") && !strings.HasSuffix(name, "workbook.xml.rels") {
			later = append(later, f)
			continue
		}
		if err := c.part(f); err != nil {
			return c.counts, err
		}
	}
	c.nameSheets()
	for _, f := range later {
		if err := c.part(f); err != nil {
			return c.counts, err
		}
	}
	return c.counts, nil
}

// checker holds the counts of one Check.
type checker struct {
	ctx    context.Context
	lim    Limits
	counts Counts
	// sheets are the workbook's sheets, in order; sheetOf maps a
	// worksheet part (partName) to its sheet's name.
	sheets  []sheetEntry
	sheetOf map[string]string
	// relTargets maps a relationships part's source (partName of the
	// workbook) to its relationships: id → target part.
	relTargets map[string]map[string]string
	worksheets int
}

// sheetEntry is a <sheet> of the workbook: its name and relationship id.
type sheetEntry struct{ workbook, name, rel string }

// archive checks the archive's directory: the number of parts and the
// sizes they declare, before anything is unpacked.
func (c *checker) archive(files []*zip.File) error {
	c.counts.Parts = len(files)
	if len(files) > c.lim.MaxParts {
		return &Error{Limit: "MaxParts", Message: "the workbook has " + thousands(len(files)) +
			" parts (limit " + thousands(c.lim.MaxParts) + ")"}
	}
	var total uint64
	for _, f := range files {
		if sum := total + f.UncompressedSize64; sum >= total {
			total = sum
		} else {
			total = math.MaxUint64 // sizes declared to overflow: a forged archive
		}
	}
	if total > uint64(c.lim.MaxUnzippedBytes) {
		return &Error{Limit: "MaxUnzippedBytes", Message: "the workbook unpacks to " + sizeU(total) +
			" (limit " + size(c.lim.MaxUnzippedBytes) + ")"}
	}
	c.counts.UnzippedBytes = int64(total)
	return nil
}

// sizeU writes the declared size of an archive in bytes, exactly.
func sizeU(n uint64) string {
	if n > math.MaxInt64 {
		return "more than " + thousands(int64(math.MaxInt64)) + " bytes"
	}
	return thousands(int64(n)) + " bytes"
}

// part scans one file of the archive when it holds XML; other files
// (pictures) are unpacked and dropped, which checks that they unpack to
// the size they declare.
func (c *checker) part(f *zip.File) error {
	if f.FileInfo().IsDir() {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return &UnreadableError{Part: f.Name, Err: err}
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 16<<10)
	if !looksLikeXML(br) {
		if _, err := io.Copy(io.Discard, br); err != nil {
			return &UnreadableError{Part: f.Name, Err: err}
		}
		return nil
	}
	return c.scan(f.Name, br)
}

// looksLikeXML tells whether a part starts, after a byte-order mark and
// blanks, with markup.
func looksLikeXML(br *bufio.Reader) bool {
	head, _ := br.Peek(512)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	return len(head) == 0 || head[0] == '<'
}

// nameSheets maps each worksheet part to its sheet's name, through the
// workbook's relationships.
func (c *checker) nameSheets() {
	for _, sh := range c.sheets {
		if target, ok := c.relTargets[sh.workbook][sh.rel]; ok {
			c.sheetOf[target] = sh.name
		}
	}
}

// partName is the name of a part as excelize compares them: slashes, any
// case, no leading slash.
func partName(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// relSource is the part a relationships part describes:
// xl/_rels/workbook.xml.rels describes xl/workbook.xml.
func relSource(relsPart string) string {
	dir, file := path.Split(partName(relsPart))
	return path.Join(path.Dir(strings.TrimSuffix(dir, "/")), strings.TrimSuffix(file, ".rels"))
}

// relTarget resolves a relationship's target against its source's folder.
func relTarget(source, target string) string {
	if strings.HasPrefix(target, "/") {
		return partName(target)
	}
	return partName(path.Join(path.Dir(source), target))
}
