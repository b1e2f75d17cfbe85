package sim

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// pageByNumber reads 1-based page-number paging (vpc, cbn: PageNumber and
// PageSize; cs: page_number and page_size) with the product's default and
// maximum page size, and returns the slice bounds of the page within total.
func pageByNumber(c *call, numName, sizeName string, def, max, total int) (num, size, lo, hi int, err error) {
	num, size = 1, def
	if v := c.param(numName); v != "" {
		if num, err = strconv.Atoi(v); err != nil || num < 1 {
			return 0, 0, 0, 0, invalidParam(numName, v, "it must be a whole number of at least 1")
		}
	}
	if v := c.param(sizeName); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 1 || size > max {
			return 0, 0, 0, 0, invalidParam(sizeName, v, "it must be a whole number from 1 to "+strconv.Itoa(max))
		}
	}
	lo = min((num-1)*size, total)
	hi = min(lo+size, total)
	return num, size, lo, hi, nil
}

// pageByToken reads PrivateLink's NextToken/MaxResults paging (MaxResults
// 1–1000, default 50) and returns the page bounds within total and the token
// of the next page, empty on the last page.
func pageByToken(c *call, total int) (maxResults, lo, hi int, next string, err error) {
	maxResults = 50
	if v := c.param("MaxResults"); v != "" {
		if maxResults, err = strconv.Atoi(v); err != nil || maxResults < 1 || maxResults > 1000 {
			return 0, 0, 0, "", apiErr(400, "IllegalParam.MaxResults", "The specified MaxResults %q is invalid; it must be from 1 to 1000.", v)
		}
	}
	if tok := c.param("NextToken"); tok != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(tok)
		off, ok := strings.CutPrefix(string(raw), "offset:")
		if lo, err = strconv.Atoi(off); derr != nil || !ok || err != nil || lo < 0 || lo > total {
			return 0, 0, 0, "", apiErr(400, "IllegalParam.NextToken", "The specified NextToken %q is invalid; pass the NextToken of the previous page unchanged.", tok)
		}
	}
	hi = min(lo+maxResults, total)
	if hi < total {
		next = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(hi)))
	}
	return maxResults, lo, hi, next, nil
}
