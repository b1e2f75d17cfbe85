package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"

	"golang.org/x/sync/errgroup"
)

// pageSizeFor is the page size to ask of an API whose largest page is limit:
// the limit itself, or Config.PageSize when that is smaller.
func (c *Client) pageSizeFor(limit int) int {
	if c.pageSize > 0 && c.pageSize < limit {
		return c.pageSize
	}
	return limit
}

// numberedPages lists everything behind a page-numbered API (PageNumber /
// PageSize with TotalCount, cs page_info, or Limit / Offset with a count):
// it reads the first page to learn the total and the page size, then
// fetches all remaining pages at once; at most limit of them are in flight
// (and the client's concurrency limit bounds the calls overall). fetch takes
// a 1-based page number and the page size to ask for, and returns that
// page's items, the total item count and the page size the server reports
// (0 when it reports none).
//
// The page size is the server's, not the one asked for: cs answers with
// page_info.page_size (cs API reference, DescribeClustersV1) and a server
// may serve smaller pages than asked. A first page shorter than the size
// while more items exist shows the real size too. Pages are then asked for
// with that size, so none is skipped.
func numberedPages[T any](ctx context.Context, pageSize, limit int, fetch func(ctx context.Context, page, size int) ([]T, int, int, error)) ([]T, error) {
	first, total, reported, err := fetch(ctx, 1, pageSize)
	if err != nil {
		return nil, err
	}
	if reported > 0 {
		pageSize = reported
	}
	if len(first) > 0 && len(first) < pageSize && len(first) < total {
		pageSize = len(first)
	}
	pages := (total + pageSize - 1) / pageSize
	if pages <= 1 || len(first) == 0 {
		return first, nil
	}
	rest := make([][]T, pages-1)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for page := 2; page <= pages; page++ {
		g.Go(func() error {
			items, _, _, err := fetch(gctx, page, pageSize)
			rest[page-2] = items
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := first
	for _, items := range rest {
		out = append(out, items...)
	}
	return out, nil
}

// tokenPages lists everything behind a NextToken API (PrivateLink). Each
// page's token comes from the previous answer, so these pages cannot be
// fetched concurrently: they are read one after another.
func tokenPages[T any](ctx context.Context, fetch func(ctx context.Context, token string) ([]T, string, error)) ([]T, error) {
	var out []T
	token := ""
	for {
		items, next, err := fetch(ctx, token)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if next == "" || next == token {
			return out, nil
		}
		token = next
	}
}

// flexInt decodes a JSON number or a number in a string: Alibaba Cloud
// sends counts both ways (TotalCount "29" in some PrivateLink answers).
type flexInt int

func (n *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if len(b) == 0 || string(b) == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		var f float64
		if ferr := json.Unmarshal(b, &f); ferr != nil {
			return err
		}
		v = int64(f)
	}
	*n = flexInt(v)
	return nil
}
