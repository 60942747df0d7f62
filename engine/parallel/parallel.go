package parallel

import (
	"github.com/clearance-dev/clearance/engine/fault"
	"runtime"
	"sync"
)

// ForEach calls f(0) … f(n-1) on every CPU and returns the first error.
// The engine is safe for concurrent use, so queries that make many
// independent decisions (who-can, effective permissions, audits) fan out.
// A panic in f is returned as an internal fault (CodeInternal): it would
// otherwise end the program from a worker, where no caller can recover it.
func ForEach(n int, f func(i int) error) error {
	var wg sync.WaitGroup
	next := make(chan int)
	errs := make(chan error, n)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := call(f, i); err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	return <-errs
}

// call runs f(i), turning a panic into an error.
func call(f func(i int) error, i int) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fault.Recovered(v)
		}
	}()
	return f(i)
}
