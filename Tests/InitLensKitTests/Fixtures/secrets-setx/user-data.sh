#!/bin/bash
# User data that logs every command (set -x) and wraps the ones that may fail.
set -x
run() { "$@" || echo "ERROR: failed: $*"; }
run aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE
run aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
run aws configure set aws_session_token IQoJb3JpZ2luX2VjEJrCONFIGURESESSIONTOKEN0123456789abcdefABCDEF
declare -x AWS_SECRET_ACCESS_KEY="je7MtGbClwBF/2Zp9Utk/h3yCo8nvbDECLAREKEY"
export AWS_SESSION_TOKEN=FwoGZXIvYXdzEXPORTSESSIONTOKEN0123456789abcdefghijklmnopqrstuv
declare -p AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
run docker login -u AWS -p eyJwYXlsb2FkIjoiRE9DS0VSLVAtU0VDUkVUIn0 https://123456789012.dkr.ecr.us-east-1.amazonaws.com
run docker login --username AWS --password Sup3r-Secret-Pass registry.example.com
run docker login --username AWS --password=Another.Secret_Pw registry.example.com
echo 'ECS_ENGINE_AUTH_DATA={"https://index.docker.io/v1/":{"username":"deploy","password":"p@ss word,42","email":"ops@example.com"}}' >> /tmp/ecs.config.initlens-test
echo 'ECS_ENGINE_AUTH_DATA={"registry.example.com":{"auth":"ZGVwbG95OkF1dGhTZWNyZXQ5OQ==","email":"ops@example.com"}}' >> /tmp/ecs.config.initlens-test
rm -f /tmp/ecs.config.initlens-test
exit 1
