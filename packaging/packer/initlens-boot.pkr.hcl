# Packer: bake initlens and initlens-boot.service into an AMI (see docs/ON-INSTANCE.md). The two
# provisioners are what to copy into an existing template's build block; the rest makes this file
# a whole template: `packer init . && packer build initlens-boot.pkr.hcl`.
#
# initlens_binary: bin/initlens of the release tarball (scripts/release), built for the AMI's
# architecture; initlens_unit: packaging/systemd/initlens-boot.service.

packer {
  required_plugins {
    amazon = {
      version = ">= 1.3.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "initlens_binary" {
  type    = string
  default = "initlens"
}

variable "initlens_unit" {
  type    = string
  default = "../systemd/initlens-boot.service"
}

source "amazon-ebs" "ecs" {
  region        = var.region
  instance_type = "t3.small"
  ssh_username  = "ec2-user"
  ami_name      = "ecs-al2023-initlens-{{timestamp}}"
  source_ami_filter {
    filters = {
      name = "al2023-ami-ecs-hvm-*-x86_64"
    }
    owners      = ["amazon"]
    most_recent = true
  }
}

build {
  sources = ["source.amazon-ebs.ecs"]

  provisioner "file" {
    sources     = [var.initlens_binary, var.initlens_unit]
    destination = "/tmp/"
  }

  provisioner "shell" {
    inline = [
      "sudo install -m 0755 /tmp/initlens /usr/bin/initlens",
      "sudo install -m 0644 /tmp/initlens-boot.service /etc/systemd/system/initlens-boot.service",
      "sudo systemctl daemon-reload",
      "sudo systemctl enable initlens-boot.service",
      "/usr/bin/initlens --version",
    ]
  }
}
