/* SPDX-License-Identifier: GPL-2.0-only */
#pragma once

/*
 * UEFI signature lists and authenticated variable writes (UEFI 2.10 §8.2.2,
 * §32.4.1): what goes into the db variable and what efivarfs takes to write it.
 * Library code: returns 0 or -errno, never prints.
 */
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* A GUID in its on-disk (mixed-endian) byte order. */
typedef struct {
	uint8_t b[16];
} efi_guid;

/* d719b2cb-3d3a-4596-a3bc-dad00e67656f: the vendor of db, dbx. */
extern const efi_guid EFI_IMAGE_SECURITY_DATABASE_GUID;
/* a5c059a1-94e4-4aa7-87b5-ab155c2bf072 */
extern const efi_guid EFI_CERT_X509_GUID;
/* 4aafd29d-68df-49ee-8aa9-347d375665a7 */
extern const efi_guid EFI_CERT_TYPE_PKCS7_GUID;
/* The SignatureOwner ipe-keys writes by default. */
extern const efi_guid IPE_TOOLS_OWNER_GUID;
#define IPE_TOOLS_OWNER_GUID_TEXT "aa6fe64e-298c-41a9-8d4f-11f326952b7b"

#define EFI_VARIABLE_NON_VOLATILE 0x01u
#define EFI_VARIABLE_BOOTSERVICE_ACCESS 0x02u
#define EFI_VARIABLE_RUNTIME_ACCESS 0x04u
#define EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS 0x20u
#define EFI_VARIABLE_APPEND_WRITE 0x40u
/* 0x27: how db, dbx, KEK and PK are written. */
#define EFI_SECURE_VARIABLE_ATTRIBUTES                                 \
	(EFI_VARIABLE_NON_VOLATILE | EFI_VARIABLE_BOOTSERVICE_ACCESS | \
	 EFI_VARIABLE_RUNTIME_ACCESS | EFI_VARIABLE_TIME_BASED_AUTHENTICATED_WRITE_ACCESS)

/* EFI_TIME, 16 bytes, little-endian fields. */
struct efi_time {
	uint16_t year;
	uint8_t month, day, hour, minute, second, pad1;
	uint32_t nanosecond;
	int16_t timezone;
	uint8_t daylight, pad2;
} __attribute__((__packed__));

/* Parse "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". Return: 0 or -EINVAL. */
int efi_guid_from_string(const char *s, efi_guid *ret);

/* The canonical text form (37 bytes with the NUL) of @g into @out. */
void efi_guid_to_string(const efi_guid *g, char out[static 37]);

/* "YYYY-MM-DD HH:MM:SS" (UTC, as efitools' -t). Return: 0 or -EINVAL. */
int efi_time_parse(const char *s, struct efi_time *ret);

/* @t as an EFI_TIME in UTC (TimeZone 0, Nanosecond 0). */
void efi_time_from_unix(time_t t, struct efi_time *ret);

/**
 * efi_siglist_x509() - an EFI_SIGNATURE_LIST of type EFI_CERT_X509_GUID with
 * one EFI_SIGNATURE_DATA: @owner then the DER certificate.
 * Return: 0 and a malloc'd list, or -errno.
 */
int efi_siglist_x509(const efi_guid *owner, const void *der, size_t der_len, unsigned char **ret,
		     size_t *ret_len);

/**
 * efi_auth2_build() - EFI_VARIABLE_AUTHENTICATION_2 followed by @data.
 *
 * With @key and @cert, CertData is a DER PKCS#7 SignedData (no ContentInfo
 * wrapper, SHA-256, no signed attributes, @cert included) detached over
 * VariableName (UTF-16LE, no NUL) || VendorGuid || Attributes || TimeStamp ||
 * @data, as UEFI specifies and efitools' sign-efi-sig-list writes. Without
 * them CertData is empty, which firmware accepts only in setup mode.
 * Return: 0 and a malloc'd buffer, -EINVAL, -EIO (OpenSSL), -ENOMEM.
 */
int efi_auth2_build(const char *name, const efi_guid *vendor, uint32_t attributes,
		    const struct efi_time *ts, EVP_PKEY *key, X509 *cert, const void *data,
		    size_t len, unsigned char **ret, size_t *ret_len);

/**
 * efi_varfs_payload() - what one write() to an efivarfs file takes: @attributes
 * as a little-endian u32, then @data.
 * Return: 0 and a malloc'd buffer, or -ENOMEM.
 */
int efi_varfs_payload(uint32_t attributes, const void *data, size_t len, unsigned char **ret,
		      size_t *ret_len);
