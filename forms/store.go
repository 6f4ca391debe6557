package forms

import (
	"context"
	"errors"
	"sync"

	"gorm.io/gorm"
)

// Store persists questionnaires, reference data and, later, everything
// collected with them. It holds the database handle; there is no global one.
type Store struct {
	db *gorm.DB

	mu     sync.RWMutex
	themes map[string]bool // known theme codes, loaded once
	forms  map[uint]*Form  // compiled published versions: immutable, so cached
}

// NewStore returns a Store over db.
func NewStore(db *gorm.DB) *Store {
	return &Store{db: db, forms: map[uint]*Form{}}
}

// DB returns the store's database handle, for packages that build their own
// queries over the same tables (analysis, exports).
func (s *Store) DB() *gorm.DB { return s.db }

// ThemeKnown reports whether code is a theme of the taxonomy. Theme codes are
// loaded from the database on first use: the taxonomy is reference data
// that changes only with a migration.
func (s *Store) ThemeKnown(ctx context.Context) (func(string) bool, error) {
	s.mu.RLock()
	known := s.themes
	s.mu.RUnlock()
	if known == nil {
		var codes []string
		if err := s.db.WithContext(ctx).Model(&Theme{}).Pluck("code", &codes).Error; err != nil {
			return nil, err
		}
		known = make(map[string]bool, len(codes))
		for _, c := range codes {
			known[c] = true
		}
		s.mu.Lock()
		s.themes = known
		s.mu.Unlock()
	}
	return func(code string) bool { return known[code] }, nil
}

// Themes returns the whole taxonomy in display order.
func (s *Store) Themes(ctx context.Context) ([]Theme, error) {
	var themes []Theme
	err := s.db.WithContext(ctx).Order("position, code").Find(&themes).Error
	return themes, err
}

// Countries returns every country, by name.
func (s *Store) Countries(ctx context.Context) ([]Country, error) {
	var countries []Country
	err := s.db.WithContext(ctx).Order("name").Find(&countries).Error
	return countries, err
}

// notFound maps GORM's missing-record error to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}
