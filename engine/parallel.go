package engine

import (
	"runtime"
	"sync"
)

// forEach calls f(0) … f(n-1) on every CPU and returns the first error.
// The engine is safe for concurrent use, so queries that make many
// independent decisions (who-can, effective permissions, audits) fan out.
func ForEach(n int, f func(i int) error) error {
	var wg sync.WaitGroup
	next := make(chan int)
	errs := make(chan error, n)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
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
