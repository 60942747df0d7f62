package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/clearance-dev/clearance/engine/fault"
)

// MaxObject bounds a blob read back from an object store: a partial of
// the largest shard measured (benchmarks/README.md, 2,000 accounts in 4
// shards) is tens of megabytes; a larger object is refused, not read.
const MaxObject = 2 << 30

// Bucket is an S3 or S3-compatible object store: the objects are
// PREFIX/NAME in BUCKET. A PutObject is atomic (a reader sees the whole
// object or the previous one) and putting the same name again replaces
// it, so activities may be retried.
type Bucket struct {
	client *s3.Client
	bucket string
	prefix string
}

// openS3 reads s3://BUCKET[/PREFIX][?region=R&endpoint=URL&path-style=true].
// Credentials come from the AWS SDK's default chain (environment, shared
// configuration and credentials files, the instance's or task's role).
// endpoint names an S3-compatible service (MinIO, Ceph, R2...), which is
// then addressed path-style unless path-style=false.
func openS3(ctx context.Context, u *url.URL) (*Bucket, error) {
	if u.Host == "" {
		return nil, fmt.Errorf("expected s3://bucket[/prefix]")
	}
	q := u.Query()
	for k := range q {
		if k != "region" && k != "endpoint" && k != "path-style" {
			return nil, fmt.Errorf("unknown parameter %q: expected region, endpoint or path-style", k)
		}
	}
	var opts []func(*config.LoadOptions) error
	if r := q.Get("region"); r != "" {
		opts = append(opts, config.WithRegion(r))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // S3's default; a bucket elsewhere answers with its region
	}
	pathStyle := q.Get("endpoint") != ""
	if v := q.Get("path-style"); v != "" {
		if pathStyle, err = strconv.ParseBool(v); err != nil {
			return nil, fmt.Errorf("path-style=%q: expected true or false", v)
		}
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if ep := q.Get("endpoint"); ep != "" {
			o.BaseEndpoint = aws.String(ep)
		}
		o.UsePathStyle = pathStyle
		// Checksums only where S3 requires them: S3-compatible services
		// do not all read the trailing checksums the SDK sends by default.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return &Bucket{client: client, bucket: u.Host, prefix: strings.Trim(u.Path, "/")}, nil
}

func (b *Bucket) key(name string) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return "", fmt.Errorf("store: bad name %q", name)
	}
	if b.prefix == "" {
		return name, nil
	}
	return b.prefix + "/" + name, nil
}

// Put writes the object.
func (b *Bucket) Put(ctx context.Context, name string, data []byte) error {
	key, err := b.key(name)
	if err != nil {
		return err
	}
	_, err = b.client.PutObject(ctx, &s3.PutObjectInput{Bucket: &b.bucket, Key: &key,
		Body: bytes.NewReader(data), ContentLength: aws.Int64(int64(len(data)))})
	if err != nil {
		return fmt.Errorf("store: put s3://%s/%s: %w", b.bucket, key, err)
	}
	return nil
}

// Get reads the object, refusing one larger than MaxObject.
func (b *Bucket) Get(ctx context.Context, name string) ([]byte, error) {
	key, err := b.key(name)
	if err != nil {
		return nil, err
	}
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &b.bucket, Key: &key})
	if err != nil {
		if notFound(err) {
			return nil, fault.Errorf(fault.CodeBadRequest, "store: s3://%s/%s: no such object", b.bucket, key)
		}
		return nil, fmt.Errorf("store: get s3://%s/%s: %w", b.bucket, key, err)
	}
	defer out.Body.Close()
	data, err := io.ReadAll(io.LimitReader(out.Body, MaxObject+1))
	if err != nil {
		return nil, fmt.Errorf("store: read s3://%s/%s: %w", b.bucket, key, err)
	}
	if len(data) > MaxObject {
		return nil, fault.Errorf(fault.CodeBadRequest, "store: s3://%s/%s is larger than %d bytes", b.bucket, key, MaxObject)
	}
	return data, nil
}

// Exists asks for the object's metadata.
func (b *Bucket) Exists(ctx context.Context, name string) (bool, error) {
	key, err := b.key(name)
	if err != nil {
		return false, err
	}
	_, err = b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &b.bucket, Key: &key})
	switch {
	case err == nil:
		return true, nil
	case notFound(err):
		return false, nil
	}
	return false, fmt.Errorf("store: head s3://%s/%s: %w", b.bucket, key, err)
}

// notFound: S3 answers a missing key with NoSuchKey (GET) or a bare 404
// (HEAD, which has no body to name the error).
func notFound(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) && (api.ErrorCode() == "NoSuchKey" || api.ErrorCode() == "NotFound") {
		return true
	}
	return false
}
