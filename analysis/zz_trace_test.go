package analysis_test

import (
	"context"
	"log"
	"os"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/unodc-csu/agora/analysis"
	"github.com/unodc-csu/agora/forms"
)

func BenchmarkZZTrace(b *testing.B) {
	bd := openBench(b)
	db := bd.db.Session(&gorm.Session{Logger: logger.New(log.New(os.Stderr, "", 0), logger.Config{SlowThreshold: time.Hour, LogLevel: logger.Info})})
	an := analysis.New(db)
	for i := 0; i < 2; i++ {
		start := time.Now()
		_, err := an.Summary(context.Background(), forms.AllCountries, analyst, bd.consultation, analysis.SummaryOptions{ByType: true})
		b.Logf("total %s %v", time.Since(start), err)
	}
}
