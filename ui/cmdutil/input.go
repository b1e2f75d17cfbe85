package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/asmlink/asmlink/spec"
)

// ReadInput reads the file name, or standard input for "-", as commands
// read an ASMPvlConfig: at most spec.MaxSize bytes (more is refused, not
// cut), only from a regular file or from stdin (a device such as /dev/zero,
// a FIFO or a directory is refused before reading), and it gives up at
// once when ctx ends (ctrl-c while a pipe is silent). The error does not
// repeat the name; callers put it in front.
func ReadInput(ctx context.Context, streams *IOStreams, name string) ([]byte, error) {
	if name == "-" {
		if streams.In == nil {
			return nil, errors.New("standard input is not available")
		}
		return readBounded(ctx, streams.In)
	}
	data, err := readRegular(ctx, name)
	if errors.Is(err, errNotRegular) {
		return nil, fmt.Errorf("%w: give a file, or - for standard input", err)
	}
	return data, err
}

// errNotRegular means a path names a device, FIFO, socket or directory.
var errNotRegular = errors.New("not a regular file")

// readRegular reads a regular file of at most spec.MaxSize bytes.
func readRegular(ctx context.Context, name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, unwrapPath(err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (%s)", errNotRegular, describeMode(st.Mode()))
	}
	if st.Size() > spec.MaxSize {
		return nil, tooLarge()
	}
	return readBounded(ctx, f)
}

// readBounded reads r to its end, refusing more than spec.MaxSize bytes,
// and returns as soon as ctx ends. The read itself may block on; it goes
// on in the background until the process ends.
func readBounded(ctx context.Context, r io.Reader) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := io.ReadAll(io.LimitReader(r, spec.MaxSize+1))
		done <- result{data, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-done:
		if res.err != nil {
			return nil, res.err
		}
		if len(res.data) > spec.MaxSize {
			return nil, tooLarge()
		}
		return res.data, nil
	}
}

func tooLarge() error {
	return fmt.Errorf("more than %d bytes (16 MiB), the most asmlink reads: an ASMPvlConfig of 20,000 clusters is about 4 MB", spec.MaxSize)
}

// describeMode names what a non-regular file is.
func describeMode(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeCharDevice != 0, m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}

// unwrapPath drops the path an *os.PathError repeats, since callers name
// the file already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
