package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/unodc-csu/agora/forms"
	"github.com/unodc-csu/agora/forms/xlsform"
)

// checkTally counts the verdicts of "agora import --check".
type checkTally struct {
	imported, refused, nothing int
	refusedFiles               []string
}

// importCheck is "agora import --check PATH...": it imports every XLSForm
// workbook of the folders and files named, without a database and without
// storing anything, and prints a line per workbook — imported, refused with
// its first problem (cell and reason), or with nothing a web survey can ask
// — then the totals and the share imported. It fails when a workbook was
// refused, so that it can guard a set of forms in a script.
func importCheck(ctx context.Context, paths []string, out io.Writer) error {
	files, err := checkFiles(paths)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("import --check: no .xlsx workbook found in " + strings.Join(paths, ", "))
	}
	themes, err := forms.SeedThemes()
	if err != nil {
		return err
	}
	known := forms.KnownThemes(themes)
	var t checkTally
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		checkOne(ctx, path, known, &t, out)
	}
	askable := t.imported + t.refused
	fmt.Fprintf(out, "\n%d workbooks: %d imported, %d refused, %d with nothing a web survey can ask\n",
		len(files), t.imported, t.refused, t.nothing)
	if askable > 0 {
		fmt.Fprintf(out, "imported without edits: %d of %d (%.1f %%)\n", t.imported, askable, 100*float64(t.imported)/float64(askable))
	}
	if t.refused > 0 {
		return fmt.Errorf("%d of %d workbooks refused: %s", t.refused, askable, strings.Join(t.refusedFiles, ", "))
	}
	return nil
}

// checkOne imports one workbook and prints its verdict.
func checkOne(ctx context.Context, path string, known func(string) bool, t *checkTally, out io.Writer) {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		t.refused++
		t.refusedFiles = append(t.refusedFiles, name)
		fmt.Fprintf(out, "refused   %s: %v\n", name, err)
		return
	}
	defer f.Close()
	code := strings.TrimSuffix(name, filepath.Ext(name))
	def, rep, err := xlsform.Import(ctx, f, xlsform.Options{ThemeKnown: known, Code: code})
	switch {
	case err == nil:
		t.imported++
		fmt.Fprintf(out, "imported  %s: %d questions in %d sections, %d warnings\n",
			name, len(def.Questions()), len(def.Sections), len(rep.Warnings()))
	case rep.NothingToAsk():
		t.nothing++
		fmt.Fprintf(out, "nothing   %s: %s (%d rows left out)\n", name, xlsform.NothingToAskMessage, len(rep.Warnings()))
	default:
		t.refused++
		t.refusedFiles = append(t.refusedFiles, name)
		errs := rep.Errors()
		first := errs[0]
		where := first.Cell
		if where == "" {
			where = "workbook"
		}
		more := ""
		if len(errs) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(errs)-1)
		}
		fmt.Fprintf(out, "refused   %s: %s: %s%s\n", name, where, first.Message, more)
	}
}

// checkFiles lists the workbooks of the paths: a folder's .xlsx and .xls
// files (not those of its subfolders, nor Excel's "~$" lock files), in
// name order, and the files named.
func checkFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if !e.IsDir() && (ext == ".xlsx" || ext == ".xls") && !strings.HasPrefix(e.Name(), "~$") {
				files = append(files, filepath.Join(p, e.Name()))
			}
		}
	}
	slices.Sort(files)
	return files, nil
}
