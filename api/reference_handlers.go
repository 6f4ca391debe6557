package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/unodc-csu/agora/forms"
)

// listThemes answers the taxonomy as a tree: instruments → clusters →
// articles, then cross-cutting themes and working groups.
func (s *Server) listThemes(c *gin.Context) error {
	themes, err := s.forms.Themes(c.Request.Context())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": forms.ThemeTree(themes)})
	return nil
}

// listCountries answers every country with its codes and regional group.
func (s *Server) listCountries(c *gin.Context) error {
	countries, err := s.forms.Countries(c.Request.Context())
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": countries})
	return nil
}
