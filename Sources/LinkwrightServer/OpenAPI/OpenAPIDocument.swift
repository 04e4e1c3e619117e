/// The OpenAPI 3.1 description of the API, served at `/api/v1/openapi.json`.
///
/// Kept beside the routes it describes and checked by a test against the router, so an endpoint
/// cannot be added without appearing here.
enum OpenAPIDocument {
    static let json = #"""
{
  "components": {
    "responses": {
      "Error": {
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        },
        "description": "Error"
      },
      "RateLimited": {
        "description": "Too many requests: wait Retry-After seconds. Nothing was changed.",
        "headers": {
          "Retry-After": {
            "schema": {
              "type": "integer"
            }
          },
          "RateLimit-Policy": {
            "schema": {
              "type": "string"
            }
          },
          "RateLimit": {
            "schema": {
              "type": "string"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "schemas": {
      "APIKey": {
        "properties": {
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "created_by": {
            "format": "uuid",
            "type": "string"
          },
          "expires_at": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "id": {
            "format": "uuid",
            "type": "string"
          },
          "key": {
            "description": "Only in the creating response",
            "type": "string"
          },
          "last_used_at": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "name": {
            "type": "string"
          },
          "prefix": {
            "type": "string"
          },
          "scopes": {
            "items": {
              "type": "string"
            },
            "type": "array"
          }
        },
        "required": [
          "id",
          "name",
          "prefix",
          "scopes",
          "created_by",
          "created_at",
          "expires_at",
          "last_used_at"
        ],
        "type": "object"
      },
      "APIKeyPage": {
        "properties": {
          "items": {
            "items": {
              "$ref": "#/components/schemas/APIKey"
            },
            "type": "array"
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "items",
          "next_cursor"
        ],
        "type": "object"
      },
      "AdminTenant": {
        "properties": {
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "id": {
            "format": "uuid",
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "plan": {
            "enum": [
              "free",
              "pro",
              "agency"
            ],
            "type": "string"
          },
          "slug": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "name",
          "slug",
          "created_at"
        ],
        "type": "object"
      },
      "AuditEntry": {
        "properties": {
          "action": {
            "type": "string"
          },
          "actor_id": {
            "type": [
              "string",
              "null"
            ]
          },
          "actor_kind": {
            "enum": [
              "user",
              "api_key",
              "operator",
              "anonymous"
            ],
            "type": "string"
          },
          "client_address": {
            "type": [
              "string",
              "null"
            ]
          },
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "details": {
            "type": "object"
          },
          "id": {
            "format": "uuid",
            "type": "string"
          },
          "outcome": {
            "enum": [
              "success",
              "failure"
            ],
            "type": "string"
          },
          "request_id": {
            "type": "string"
          },
          "status": {
            "type": "integer"
          },
          "target_id": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "id",
          "created_at",
          "actor_kind",
          "action",
          "request_id",
          "outcome",
          "status",
          "details"
        ],
        "type": "object"
      },
      "AuditPage": {
        "properties": {
          "items": {
            "items": {
              "$ref": "#/components/schemas/AuditEntry"
            },
            "type": "array"
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "items",
          "next_cursor"
        ],
        "type": "object"
      },
      "Campaign": {
        "properties": {
          "anchor_texts": {
            "items": {
              "maxLength": 200,
              "minLength": 1,
              "type": "string"
            },
            "maxItems": 50,
            "minItems": 1,
            "type": "array"
          },
          "budget_micros": {
            "description": "Integer micro-dollars",
            "maximum": 1000000000000,
            "minimum": 0,
            "type": "integer"
          },
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "daily_limit": {
            "default": 5,
            "maximum": 1000,
            "minimum": 1,
            "type": "integer"
          },
          "ends_at": {
            "description": "In the future and after starts_at",
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "engines": {
            "items": {
              "enum": [
                "comments",
                "web2",
                "forums",
                "social"
              ],
              "type": "string"
            },
            "minItems": 1,
            "type": "array"
          },
          "id": {
            "format": "uuid",
            "type": "string"
          },
          "keywords": {
            "items": {
              "maxLength": 100,
              "minLength": 1,
              "type": "string"
            },
            "maxItems": 100,
            "type": "array"
          },
          "min_authority": {
            "maximum": 100,
            "minimum": 0,
            "type": "integer"
          },
          "name": {
            "maxLength": 200,
            "minLength": 1,
            "type": "string"
          },
          "priority": {
            "default": "normal",
            "enum": [
              "high",
              "normal",
              "bulk"
            ],
            "type": "string"
          },
          "starts_at": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "status": {
            "enum": [
              "draft",
              "active",
              "paused",
              "completed",
              "archived"
            ],
            "type": "string"
          },
          "status_reason": {
            "type": [
              "string",
              "null"
            ],
            "description": "budget_exhausted when paused because the budget could not cover the next task; raising budget_micros resumes it"
          },
          "target_url": {
            "description": "http or https; stored normalised",
            "format": "uri",
            "type": "string"
          },
          "tasks_by_state": {
            "additionalProperties": {
              "type": "integer"
            },
            "description": "Only on GET /campaigns/{id}: the campaign's tasks by state",
            "type": "object"
          },
          "updated_at": {
            "format": "date-time",
            "type": "string"
          },
          "verify_every_hours": {
            "default": 24,
            "description": "How often the campaign's placements are checked again",
            "maximum": 720,
            "minimum": 1,
            "type": "integer"
          },
          "spent_micros": {
            "type": "integer",
            "description": "Integer micro-dollars charged by the cost ledger so far"
          },
          "reserved_micros": {
            "type": "integer",
            "description": "Integer micro-dollars reserved by tasks running now; work starts only while spent + reserved + its own estimate fits budget_micros (0: no cap)"
          }
        },
        "required": [
          "name",
          "target_url",
          "anchor_texts",
          "keywords",
          "engines",
          "priority",
          "daily_limit",
          "budget_micros",
          "min_authority",
          "starts_at",
          "ends_at",
          "id",
          "status",
          "status_reason",
          "created_at",
          "updated_at"
        ],
        "type": "object"
      },
      "CampaignCreate": {
        "properties": {
          "anchor_texts": {
            "items": {
              "maxLength": 200,
              "minLength": 1,
              "type": "string"
            },
            "maxItems": 50,
            "minItems": 1,
            "type": "array"
          },
          "budget_micros": {
            "description": "Integer micro-dollars",
            "maximum": 1000000000000,
            "minimum": 0,
            "type": "integer"
          },
          "daily_limit": {
            "default": 5,
            "maximum": 1000,
            "minimum": 1,
            "type": "integer"
          },
          "ends_at": {
            "description": "In the future and after starts_at",
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "engines": {
            "items": {
              "enum": [
                "comments",
                "web2",
                "forums",
                "social"
              ],
              "type": "string"
            },
            "minItems": 1,
            "type": "array"
          },
          "keywords": {
            "items": {
              "maxLength": 100,
              "minLength": 1,
              "type": "string"
            },
            "maxItems": 100,
            "type": "array"
          },
          "min_authority": {
            "maximum": 100,
            "minimum": 0,
            "type": "integer"
          },
          "name": {
            "maxLength": 200,
            "minLength": 1,
            "type": "string"
          },
          "priority": {
            "default": "normal",
            "enum": [
              "high",
              "normal",
              "bulk"
            ],
            "type": "string"
          },
          "starts_at": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "target_url": {
            "description": "http or https; stored normalised",
            "format": "uri",
            "type": "string"
          },
          "verify_every_hours": {
            "default": 24,
            "description": "How often the campaign's placements are checked again",
            "maximum": 720,
            "minimum": 1,
            "type": "integer"
          }
        },
        "required": [
          "name",
          "target_url",
          "anchor_texts",
          "engines"
        ],
        "type": "object"
      },
      "CampaignPage": {
        "properties": {
          "items": {
            "items": {
              "$ref": "#/components/schemas/Campaign"
            },
            "type": "array"
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "items",
          "next_cursor"
        ],
        "type": "object"
      },
      "CampaignPatch": {
        "properties": {
          "anchor_texts": {
            "items": {
              "maxLength": 200,
              "minLength": 1,
              "type": "string"
            },
            "maxItems": 50,
            "minItems": 1,
            "type": "array"
          },
          "budget_micros": {
            "description": "Integer micro-dollars",
            "maximum": 1000000000000,
            "minimum": 0,
            "type": "integer"
          },
          "daily_limit": {
            "default": 5,
            "maximum": 1000,
            "minimum": 1,
            "type": "integer"
          },
          "ends_at": {
            "description": "In the future and after starts_at",
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "engines": {
            "items": {
              "enum": [
                "comments",
                "web2",
                "forums",
                "social"
              ],
              "type": "string"
            },
            "minItems": 1,
            "type": "array"
          },
          "keywords": {
            "items": {
              "maxLength": 100,
              "minLength": 1,
              "type": "string"
            },
            "maxItems": 100,
            "type": "array"
          },
          "min_authority": {
            "maximum": 100,
            "minimum": 0,
            "type": "integer"
          },
          "name": {
            "maxLength": 200,
            "minLength": 1,
            "type": "string"
          },
          "priority": {
            "default": "normal",
            "enum": [
              "high",
              "normal",
              "bulk"
            ],
            "type": "string"
          },
          "starts_at": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "target_url": {
            "description": "http or https; stored normalised",
            "format": "uri",
            "type": "string"
          },
          "verify_every_hours": {
            "default": 24,
            "description": "How often the campaign's placements are checked again",
            "maximum": 720,
            "minimum": 1,
            "type": "integer"
          }
        },
        "type": "object"
      },
      "ChangeRoleRequest": {
        "properties": {
          "role": {
            "enum": [
              "owner",
              "admin",
              "member"
            ],
            "type": "string"
          }
        },
        "required": [
          "role"
        ],
        "type": "object"
      },
      "Check": {
        "properties": {
          "anchor_text": {
            "type": [
              "string",
              "null"
            ]
          },
          "canonical": {
            "type": [
              "string",
              "null"
            ]
          },
          "checked_at": {
            "format": "date-time",
            "type": "string"
          },
          "detail": {
            "type": "string"
          },
          "final_url": {
            "type": [
              "string",
              "null"
            ]
          },
          "http_status": {
            "type": [
              "integer",
              "null"
            ]
          },
          "indexable": {
            "type": [
              "boolean",
              "null"
            ]
          },
          "link_found": {
            "type": "boolean"
          },
          "not_indexable_reason": {
            "type": [
              "string",
              "null"
            ]
          },
          "redirect_chain": {
            "items": {
              "type": "string"
            },
            "type": "array"
          },
          "rel": {
            "items": {
              "enum": [
                "follow",
                "nofollow",
                "ugc",
                "sponsored"
              ],
              "type": "string"
            },
            "type": "array"
          },
          "response_time_ms": {
            "type": [
              "integer",
              "null"
            ]
          },
          "state": {
            "enum": [
              "pending",
              "live",
              "live_nofollow",
              "not_indexable",
              "anchor_changed",
              "missing",
              "source_gone",
              "blocked",
              "unverifiable"
            ],
            "type": "string"
          }
        },
        "type": "object"
      },
      "CheckPage": {
        "properties": {
          "items": {
            "items": {
              "$ref": "#/components/schemas/Check"
            },
            "type": "array"
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "type": "object"
      },
      "CreateAPIKeyRequest": {
        "properties": {
          "expires_at": {
            "format": "date-time",
            "type": "string"
          },
          "name": {
            "maxLength": 100,
            "minLength": 1,
            "type": "string"
          },
          "scopes": {
            "items": {
              "enum": [
                "read",
                "write",
                "admin"
              ],
              "type": "string"
            },
            "minItems": 1,
            "type": "array"
          }
        },
        "required": [
          "name",
          "scopes"
        ],
        "type": "object"
      },
      "CreateUserRequest": {
        "properties": {
          "email": {
            "format": "email",
            "type": "string"
          },
          "password": {
            "maxLength": 1024,
            "minLength": 12,
            "type": "string"
          },
          "role": {
            "enum": [
              "admin",
              "member"
            ],
            "type": "string"
          }
        },
        "required": [
          "email",
          "password",
          "role"
        ],
        "type": "object"
      },
      "Error": {
        "properties": {
          "detail": {
            "type": "string"
          },
          "error_code": {
            "type": "string"
          },
          "field": {
            "type": "string"
          },
          "request_id": {
            "type": "string"
          },
          "timestamp": {
            "format": "date-time",
            "type": "string"
          }
        },
        "required": [
          "error_code",
          "detail",
          "request_id",
          "timestamp"
        ],
        "type": "object"
      },
      "Event": {
        "properties": {
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "id": {
            "type": "integer"
          },
          "payload": {
            "additionalProperties": {
              "type": "string"
            },
            "type": "object"
          },
          "placement_id": {
            "format": "uuid",
            "type": [
              "string",
              "null"
            ]
          },
          "type": {
            "enum": [
              "link_lost"
            ],
            "type": "string"
          }
        },
        "type": "object"
      },
      "EventPage": {
        "properties": {
          "items": {
            "items": {
              "$ref": "#/components/schemas/Event"
            },
            "type": "array"
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "type": "object"
      },
      "Import": {
        "properties": {
          "created": {
            "type": "integer"
          },
          "duplicates": {
            "type": "integer"
          },
          "errors": {
            "items": {
              "properties": {
                "field": {
                  "type": [
                    "string",
                    "null"
                  ]
                },
                "message": {
                  "type": "string"
                },
                "row": {
                  "type": "integer"
                }
              },
              "type": "object"
            },
            "type": "array"
          },
          "rows": {
            "type": "integer"
          }
        },
        "type": "object"
      },
      "Lane": {
        "properties": {
          "available": {
            "type": "integer"
          },
          "dead": {
            "type": "integer"
          },
          "lane": {
            "type": "string"
          },
          "oldest_available_age_seconds": {
            "type": "number"
          },
          "paused": {
            "type": "boolean"
          },
          "running": {
            "type": "integer"
          },
          "scheduled": {
            "type": "integer"
          }
        },
        "required": [
          "lane",
          "paused",
          "available",
          "running",
          "scheduled",
          "dead",
          "oldest_available_age_seconds"
        ],
        "type": "object"
      },
      "Lanes": {
        "properties": {
          "lanes": {
            "items": {
              "$ref": "#/components/schemas/Lane"
            },
            "type": "array"
          }
        },
        "required": [
          "lanes"
        ],
        "type": "object"
      },
      "LoginRequest": {
        "properties": {
          "email": {
            "type": "string"
          },
          "password": {
            "type": "string"
          },
          "use_cookie": {
            "default": false,
            "description": "Browser clients: deliver the refresh token as an HttpOnly, Secure, SameSite=Strict cookie scoped to /api/v1/auth instead of in the body",
            "type": "boolean"
          }
        },
        "required": [
          "email",
          "password"
        ],
        "type": "object"
      },
      "Me": {
        "properties": {
          "api_key": {
            "properties": {
              "id": {
                "type": "string"
              },
              "scopes": {
                "items": {
                  "type": "string"
                },
                "type": "array"
              }
            },
            "type": "object"
          },
          "plan": {
            "properties": {
              "limits": {
                "type": "object"
              },
              "name": {
                "type": "string"
              },
              "usage": {
                "type": "object"
              }
            },
            "type": "object"
          },
          "role": {
            "type": "string"
          },
          "tenant": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Tenant"
              },
              {
                "type": "null"
              }
            ]
          },
          "user": {
            "$ref": "#/components/schemas/User"
          }
        },
        "required": [
          "user",
          "tenant",
          "role"
        ],
        "type": "object"
      },
      "Placement": {
        "properties": {
          "campaign_id": {
            "format": "uuid",
            "type": [
              "string",
              "null"
            ]
          },
          "checks": {
            "type": "integer"
          },
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "expected_anchor": {
            "type": [
              "string",
              "null"
            ]
          },
          "id": {
            "format": "uuid",
            "type": "string"
          },
          "ignore_trailing_slash": {
            "type": "boolean"
          },
          "ignore_www": {
            "type": "boolean"
          },
          "last_checked_at": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "next_check_at": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "source_url": {
            "type": "string"
          },
          "state": {
            "enum": [
              "pending",
              "live",
              "live_nofollow",
              "not_indexable",
              "anchor_changed",
              "missing",
              "source_gone",
              "blocked",
              "unverifiable"
            ],
            "type": "string"
          },
          "target_url": {
            "type": "string"
          }
        },
        "type": "object"
      },
      "PlacementCreate": {
        "properties": {
          "campaign_id": {
            "format": "uuid",
            "type": "string"
          },
          "expected_anchor": {
            "maxLength": 500,
            "type": "string"
          },
          "ignore_trailing_slash": {
            "default": true,
            "description": "/page and /page/ are the same target",
            "type": "boolean"
          },
          "ignore_www": {
            "default": true,
            "description": "www.example.com and example.com are the same target",
            "type": "boolean"
          },
          "source_url": {
            "description": "The page that carries the link (http or https)",
            "format": "uri",
            "maxLength": 2048,
            "type": "string"
          },
          "target_url": {
            "description": "Where the link must point",
            "format": "uri",
            "maxLength": 2048,
            "type": "string"
          }
        },
        "required": [
          "source_url",
          "target_url"
        ],
        "type": "object"
      },
      "PlacementPage": {
        "properties": {
          "items": {
            "items": {
              "$ref": "#/components/schemas/Placement"
            },
            "type": "array"
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "type": "object"
      },
      "Queue": {
        "properties": {
          "lanes": {
            "additionalProperties": {
              "additionalProperties": {
                "type": "integer"
              },
              "type": "object"
            },
            "type": "object"
          }
        },
        "required": [
          "lanes"
        ],
        "type": "object"
      },
      "RefreshRequest": {
        "properties": {
          "refresh_token": {
            "description": "Omit to present the lw_refresh cookie instead",
            "type": "string"
          },
          "use_cookie": {
            "default": false,
            "description": "Browser clients: deliver the refresh token as an HttpOnly, Secure, SameSite=Strict cookie scoped to /api/v1/auth instead of in the body",
            "type": "boolean"
          }
        },
        "required": [],
        "type": "object"
      },
      "SignupRequest": {
        "properties": {
          "email": {
            "format": "email",
            "type": "string"
          },
          "password": {
            "maxLength": 1024,
            "minLength": 12,
            "type": "string"
          },
          "tenant_name": {
            "maxLength": 200,
            "minLength": 1,
            "type": "string"
          },
          "use_cookie": {
            "default": false,
            "description": "Browser clients: deliver the refresh token as an HttpOnly, Secure, SameSite=Strict cookie scoped to /api/v1/auth instead of in the body",
            "type": "boolean"
          }
        },
        "required": [
          "email",
          "password",
          "tenant_name"
        ],
        "type": "object"
      },
      "Status": {
        "properties": {
          "status": {
            "type": "string"
          }
        },
        "required": [
          "status"
        ],
        "type": "object"
      },
      "Task": {
        "properties": {
          "attempt": {
            "type": "integer"
          },
          "campaign_id": {
            "type": [
              "string",
              "null"
            ]
          },
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "engine": {
            "type": "string"
          },
          "finished_at": {
            "format": "date-time",
            "type": [
              "string",
              "null"
            ]
          },
          "id": {
            "type": "integer"
          },
          "idempotency_key": {
            "type": "string"
          },
          "lane": {
            "enum": [
              "high",
              "normal",
              "bulk",
              "verification"
            ],
            "type": "string"
          },
          "last_error": {
            "type": [
              "string",
              "null"
            ]
          },
          "max_attempts": {
            "type": "integer"
          },
          "payload": {
            "type": "object"
          },
          "run_at": {
            "format": "date-time",
            "type": "string"
          },
          "state": {
            "enum": [
              "scheduled",
              "available",
              "running",
              "succeeded",
              "failed_retryable",
              "dead",
              "cancelled"
            ],
            "type": "string"
          },
          "tenant_id": {
            "description": "The tenant the task belongs to",
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "id",
          "lane",
          "engine",
          "state",
          "attempt",
          "max_attempts",
          "run_at",
          "idempotency_key",
          "payload",
          "created_at"
        ],
        "type": "object"
      },
      "TaskPage": {
        "properties": {
          "items": {
            "items": {
              "$ref": "#/components/schemas/Task"
            },
            "type": "array"
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "items",
          "next_cursor"
        ],
        "type": "object"
      },
      "Tenant": {
        "properties": {
          "id": {
            "format": "uuid",
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "slug": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "name",
          "slug"
        ],
        "type": "object"
      },
      "TenantPage": {
        "properties": {
          "items": {
            "items": {
              "$ref": "#/components/schemas/AdminTenant"
            },
            "type": "array"
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "items",
          "next_cursor"
        ],
        "type": "object"
      },
      "Tokens": {
        "properties": {
          "access_token": {
            "type": "string"
          },
          "expires_in": {
            "type": "integer"
          },
          "refresh_token": {
            "type": "string"
          },
          "tenant": {
            "$ref": "#/components/schemas/Tenant"
          },
          "token_type": {
            "const": "Bearer",
            "type": "string"
          },
          "user": {
            "$ref": "#/components/schemas/User"
          }
        },
        "required": [
          "user",
          "access_token",
          "token_type",
          "expires_in"
        ],
        "type": "object"
      },
      "User": {
        "properties": {
          "created_at": {
            "format": "date-time",
            "type": "string"
          },
          "email": {
            "type": "string"
          },
          "id": {
            "format": "uuid",
            "type": "string"
          },
          "role": {
            "enum": [
              "owner",
              "admin",
              "member",
              "operator"
            ],
            "type": "string"
          }
        },
        "required": [
          "id",
          "email",
          "role"
        ],
        "type": "object"
      },
      "UserPage": {
        "properties": {
          "items": {
            "items": {
              "$ref": "#/components/schemas/User"
            },
            "type": "array"
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "items",
          "next_cursor"
        ],
        "type": "object"
      },
      "Estimate": {
        "type": "object",
        "properties": {
          "tasks": {
            "type": "integer",
            "description": "Placement tasks still to run (a draft: its plan)"
          },
          "low_micros": {
            "type": "integer"
          },
          "expected_micros": {
            "type": "integer"
          },
          "high_micros": {
            "type": "integer"
          },
          "basis": {
            "type": "string",
            "enum": [
              "history",
              "list_prices"
            ],
            "description": "history: the 10th to 90th percentile and mean per task of the tenant's last 90 days (at least 20 tasks); list_prices: unit costs, 80% to 150% of the expectation"
          },
          "history_tasks": {
            "type": "integer"
          },
          "budget_micros": {
            "type": "integer"
          },
          "spent_micros": {
            "type": "integer"
          },
          "fits_budget": {
            "type": "boolean",
            "description": "spent + high fits the budget, or there is no budget"
          }
        }
      },
      "MetricsPoint": {
        "type": "object",
        "properties": {
          "start": {
            "type": "string",
            "format": "date-time"
          },
          "tasks_finished": {
            "type": "integer"
          },
          "tasks_failed": {
            "type": "integer",
            "description": "Tasks that died after their last attempt"
          },
          "success_rate": {
            "type": [
              "number",
              "null"
            ],
            "description": "finished / (finished + failed); null when none ended"
          },
          "placements_created": {
            "type": "integer"
          },
          "placements_live": {
            "type": "integer",
            "description": "Placements a check found live in the bucket"
          },
          "placements_lost": {
            "type": "integer"
          },
          "verification_checks": {
            "type": "integer"
          },
          "cost_micros": {
            "type": "integer",
            "description": "Integer micro-dollars from the cost ledger"
          }
        }
      },
      "Metrics": {
        "type": "object",
        "properties": {
          "granularity": {
            "type": "string",
            "enum": [
              "hour",
              "day"
            ]
          },
          "from": {
            "type": "string",
            "format": "date-time"
          },
          "to": {
            "type": "string",
            "format": "date-time"
          },
          "totals": {
            "$ref": "#/components/schemas/MetricsPoint"
          },
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/MetricsPoint"
            },
            "description": "Every bucket of the range, empty ones as zeros (at most 1,000)"
          }
        }
      },
      "BillingReport": {
        "type": "object",
        "description": "Line amounts exact in integer micro-dollars; the total rounded once, half up, to the cent (the rule is on the report).",
        "properties": {
          "tenant": {
            "type": "string"
          },
          "period": {
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}$"
          },
          "plan": {
            "type": "string"
          },
          "currency": {
            "type": "string"
          },
          "lines": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "description": {
                  "type": "string"
                },
                "kind": {
                  "type": "string"
                },
                "quantity": {
                  "type": "integer"
                },
                "unit": {
                  "type": "string"
                },
                "unit_price_micros": {
                  "type": "integer"
                },
                "amount_micros": {
                  "type": "integer"
                },
                "amount": {
                  "type": "string"
                }
              }
            }
          },
          "subtotal_micros": {
            "type": "integer"
          },
          "total_cents": {
            "type": "integer"
          },
          "total": {
            "type": "string"
          },
          "rounding": {
            "type": "string"
          }
        }
      },
      "BillingReportPage": {
        "type": "object",
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "period": {
                  "type": "string"
                },
                "plan": {
                  "type": "string"
                },
                "total_cents": {
                  "type": "integer"
                },
                "total": {
                  "type": "string"
                },
                "closed_at": {
                  "type": "string",
                  "format": "date-time"
                }
              }
            }
          },
          "next_cursor": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      }
    },
    "securitySchemes": {
      "bearer": {
        "description": "An access token (JWT) or an API key (lw_…)",
        "scheme": "bearer",
        "type": "http"
      }
    }
  },
  "info": {
    "description": "Multi-tenant link-building campaigns. Errors always use the Error schema; every response carries X-Request-Id. Rate limits: signed-in calls are counted per API key or user at the tenant plan's requests per minute, sign-up and login per client address. Every counted response carries RateLimit-Policy (\"free\";q=60;w=60: the policy, its quota and window in seconds) and RateLimit (\"free\";r=41;t=19: requests remaining and seconds until the allowance is whole), per draft-ietf-httpapi-ratelimit-headers; a refused request gets 429 RATE_LIMITED with Retry-After and changes nothing.",
    "title": "Linkwright API",
    "version": "0.1.0"
  },
  "openapi": "3.1.0",
  "paths": {
    "/api/v1/admin/dead-tasks": {
      "get": {
        "parameters": [
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "default": 50,
              "maximum": 200,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "description": "A next_cursor value from the previous page.",
            "in": "query",
            "name": "cursor",
            "schema": {
              "pattern": "^[A-Za-z0-9_-]{1,64}$",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TaskPage"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Every tenant's (operators) dead tasks, oldest first"
      }
    },
    "/api/v1/admin/dead-tasks/{id}/retry": {
      "post": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "minimum": 1,
              "type": "integer"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Queued again"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Put a dead task back with fresh attempts"
      }
    },
    "/api/v1/admin/lanes/{lane}/pause": {
      "post": {
        "parameters": [
          {
            "in": "path",
            "name": "lane",
            "required": true,
            "schema": {
              "enum": [
                "high",
                "normal",
                "bulk",
                "verification"
              ],
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Lane"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Pause a lane (operators)"
      }
    },
    "/api/v1/admin/lanes/{lane}/resume": {
      "post": {
        "parameters": [
          {
            "in": "path",
            "name": "lane",
            "required": true,
            "schema": {
              "enum": [
                "high",
                "normal",
                "bulk",
                "verification"
              ],
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Lane"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Resume a lane (operators)"
      }
    },
    "/api/v1/admin/queue": {
      "get": {
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Lanes"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Every lane across tenants (operators)"
      }
    },
    "/api/v1/admin/tenants": {
      "get": {
        "parameters": [
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "default": 50,
              "maximum": 200,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "description": "A next_cursor value from the previous page; anything else is refused with 422.",
            "in": "query",
            "name": "cursor",
            "schema": {
              "pattern": "^[A-Za-z0-9_-]{1,128}$",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TenantPage"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Every tenant (operators)"
      }
    },
    "/api/v1/admin/tenants/{id}": {
      "patch": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "properties": {
                  "plan": {
                    "enum": [
                      "free",
                      "pro",
                      "agency"
                    ],
                    "type": "string"
                  }
                },
                "required": [
                  "plan"
                ],
                "type": "object"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdminTenant"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Change a tenant's plan (operators)"
      }
    },
    "/api/v1/api-keys": {
      "get": {
        "parameters": [
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "default": 50,
              "maximum": 200,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "description": "A next_cursor value from the previous page; anything else is refused with 422.",
            "in": "query",
            "name": "cursor",
            "schema": {
              "pattern": "^[A-Za-z0-9_-]{1,128}$",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/APIKeyPage"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "API keys (managers: all; members: their own)"
      },
      "post": {
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateAPIKeyRequest"
              }
            }
          },
          "required": true
        },
        "responses": {
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/APIKey"
                }
              }
            },
            "description": "Created"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Create an API key; the key is in this response only"
      }
    },
    "/api/v1/api-keys/{id}": {
      "delete": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Revoked"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Revoke an API key"
      }
    },
    "/api/v1/audit-log": {
      "get": {
        "parameters": [
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "default": 50,
              "maximum": 200,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "description": "A next_cursor value from the previous page; anything else is refused with 422.",
            "in": "query",
            "name": "cursor",
            "schema": {
              "pattern": "^[A-Za-z0-9_-]{1,128}$",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditPage"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Audit log, newest first (owner/admin)"
      }
    },
    "/api/v1/auth/login": {
      "post": {
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/LoginRequest"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Tokens"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/Error"
          },
          "503": {
            "$ref": "#/components/responses/Error"
          }
        },
        "summary": "Sign in (users and operators)"
      }
    },
    "/api/v1/auth/logout": {
      "post": {
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RefreshRequest"
              }
            }
          },
          "required": true
        },
        "responses": {
          "204": {
            "description": "Signed out"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          }
        },
        "summary": "End the sign-in a refresh token belongs to"
      }
    },
    "/api/v1/auth/refresh": {
      "post": {
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RefreshRequest"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Tokens"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          }
        },
        "summary": "Rotate a refresh token"
      }
    },
    "/api/v1/auth/signup": {
      "post": {
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SignupRequest"
              }
            }
          },
          "required": true
        },
        "responses": {
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Tokens"
                }
              }
            },
            "description": "Created"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "summary": "Create a tenant and its owner"
      }
    },
    "/api/v1/campaigns": {
      "get": {
        "parameters": [
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "default": 50,
              "maximum": 200,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "description": "A next_cursor value from the previous page; anything else is refused with 422.",
            "in": "query",
            "name": "cursor",
            "schema": {
              "pattern": "^[A-Za-z0-9_-]{1,128}$",
              "type": "string"
            }
          },
          {
            "in": "query",
            "name": "status",
            "schema": {
              "enum": [
                "draft",
                "active",
                "paused",
                "completed",
                "archived"
              ],
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CampaignPage"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "The tenant's campaigns, newest first"
      },
      "post": {
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CampaignCreate"
              }
            }
          },
          "required": true
        },
        "responses": {
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Campaign"
                }
              }
            },
            "description": "Created"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Create a campaign (draft)"
      }
    },
    "/api/v1/campaigns/{id}": {
      "delete": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Deleted"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Delete a campaign that is not active"
      },
      "get": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Campaign"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "One campaign"
      },
      "patch": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CampaignPatch"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Campaign"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Change a campaign's settings (not when archived)"
      }
    },
    "/api/v1/campaigns/{id}/archive": {
      "post": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Campaign"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Archive a campaign"
      }
    },
    "/api/v1/campaigns/{id}/pause": {
      "post": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Campaign"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Pause an active campaign"
      }
    },
    "/api/v1/campaigns/{id}/resume": {
      "post": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Campaign"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Resume a paused campaign"
      }
    },
    "/api/v1/campaigns/{id}/start": {
      "post": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Campaign"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Start a draft campaign (checks the plan's active-campaign limit)"
      }
    },
    "/api/v1/campaigns/{id}/tasks": {
      "get": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          },
          {
            "in": "query",
            "name": "state",
            "schema": {
              "enum": [
                "scheduled",
                "available",
                "running",
                "succeeded",
                "failed_retryable",
                "dead",
                "cancelled"
              ],
              "type": "string"
            }
          },
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "default": 50,
              "maximum": 200,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "description": "A next_cursor value from the previous page.",
            "in": "query",
            "name": "cursor",
            "schema": {
              "pattern": "^[A-Za-z0-9_-]{1,64}$",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TaskPage"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "A campaign's tasks in planning order"
      }
    },
    "/api/v1/dead-tasks": {
      "get": {
        "parameters": [
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "default": 50,
              "maximum": 200,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "description": "A next_cursor value from the previous page.",
            "in": "query",
            "name": "cursor",
            "schema": {
              "pattern": "^[A-Za-z0-9_-]{1,64}$",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TaskPage"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "The tenant's dead tasks, oldest first"
      }
    },
    "/api/v1/dead-tasks/{id}/retry": {
      "post": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "minimum": 1,
              "type": "integer"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Queued again"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Put a dead task back with fresh attempts"
      }
    },
    "/api/v1/events": {
      "get": {
        "parameters": [
          {
            "in": "query",
            "name": "type",
            "schema": {
              "enum": [
                "link_lost"
              ],
              "type": "string"
            }
          },
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "maximum": 100,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "in": "query",
            "name": "cursor",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EventPage"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Events, newest first (link_lost)"
      }
    },
    "/api/v1/me": {
      "get": {
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Me"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "The caller"
      }
    },
    "/api/v1/placements": {
      "get": {
        "parameters": [
          {
            "in": "query",
            "name": "state",
            "schema": {
              "enum": [
                "pending",
                "live",
                "live_nofollow",
                "not_indexable",
                "anchor_changed",
                "missing",
                "source_gone",
                "blocked",
                "unverifiable"
              ],
              "type": "string"
            }
          },
          {
            "in": "query",
            "name": "campaign_id",
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          },
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "maximum": 100,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "in": "query",
            "name": "cursor",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PlacementPage"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Placements, newest first"
      },
      "post": {
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/PlacementCreate"
              }
            }
          },
          "required": true
        },
        "responses": {
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Placement"
                }
              }
            },
            "description": "Created"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Add a placement; its first check is queued"
      }
    },
    "/api/v1/placements/import": {
      "post": {
        "requestBody": {
          "content": {
            "text/csv": {
              "schema": {
                "type": "string"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Import"
                }
              }
            },
            "description": "Valid rows created; every other row reported"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Import placements from CSV (source_url,target_url,expected_anchor; up to 50,000 rows)"
      }
    },
    "/api/v1/placements/{id}": {
      "delete": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Deleted"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Delete a placement and its pending checks"
      },
      "get": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Placement"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "One placement"
      }
    },
    "/api/v1/placements/{id}/checks": {
      "get": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          },
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "maximum": 100,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "in": "query",
            "name": "cursor",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CheckPage"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "A placement's check history, newest first"
      }
    },
    "/api/v1/placements/{id}/verify": {
      "post": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "202": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Placement"
                }
              }
            },
            "description": "Queued"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Check the placement again now"
      }
    },
    "/api/v1/queue": {
      "get": {
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Queue"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "The tenant's task counts by lane and state"
      }
    },
    "/api/v1/users": {
      "get": {
        "parameters": [
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "default": 50,
              "maximum": 200,
              "minimum": 1,
              "type": "integer"
            }
          },
          {
            "description": "A next_cursor value from the previous page; anything else is refused with 422.",
            "in": "query",
            "name": "cursor",
            "schema": {
              "pattern": "^[A-Za-z0-9_-]{1,128}$",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UserPage"
                }
              }
            },
            "description": "OK"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "The tenant's users (owner/admin)"
      },
      "post": {
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/CreateUserRequest"
              }
            }
          },
          "required": true
        },
        "responses": {
          "201": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            },
            "description": "Created"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Add a user (owner/admin)"
      }
    },
    "/api/v1/users/{id}": {
      "delete": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Removed"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Remove a user"
      },
      "patch": {
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ChangeRoleRequest"
              }
            }
          },
          "required": true
        },
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/User"
                }
              }
            },
            "description": "OK"
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ],
        "summary": "Change a user's role"
      }
    },
    "/healthz": {
      "get": {
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Status"
                }
              }
            },
            "description": "OK"
          }
        },
        "summary": "Liveness"
      }
    },
    "/readyz": {
      "get": {
        "responses": {
          "200": {
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Status"
                }
              }
            },
            "description": "OK"
          },
          "503": {
            "$ref": "#/components/responses/Error"
          }
        },
        "summary": "Readiness: PostgreSQL answers"
      }
    },
    "/api/v1/events/live": {
      "get": {
        "summary": "Live progress of the tenant as server-sent events",
        "description": "text/event-stream. Each event is an `event:` line (task.succeeded, task.retrying, task.dead, placement.checked, link.lost) and one `data:` line of JSON {type, task_id, campaign_id, engine, lane, placement_id?, state?, error?, at}. Events published by any worker process reach streams on any API process (through Redis when LINKWRIGHT_REDIS_URL is set). A comment line is sent every 15 s. Nothing is replayed: read current state from the API, then follow the stream. At most 100 open streams per tenant per API process (429 beyond).",
        "security": [
          {
            "bearer": []
          }
        ],
        "responses": {
          "200": {
            "description": "The event stream",
            "content": {
              "text/event-stream": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        }
      }
    },
    "/api/v1/campaigns/{id}/estimate": {
      "get": {
        "summary": "Expected cost range of what the campaign still has to do",
        "parameters": [
          {
            "in": "path",
            "name": "id",
            "required": true,
            "schema": {
              "format": "uuid",
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Estimate"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ]
      }
    },
    "/api/v1/campaigns/{id}/metrics": {
      "get": {
        "summary": "A campaign's metrics by hour or day, read from the hourly rollups (UTC)",
        "parameters": [
          {
            "in": "query",
            "name": "from",
            "schema": {
              "type": "string",
              "format": "date-time"
            },
            "description": "Default: 7 days before to"
          },
          {
            "in": "query",
            "name": "to",
            "schema": {
              "type": "string",
              "format": "date-time"
            },
            "description": "Default: the end of the current hour"
          },
          {
            "in": "query",
            "name": "granularity",
            "schema": {
              "type": "string",
              "enum": [
                "hour",
                "day"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Metrics"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ]
      }
    },
    "/api/v1/metrics/summary": {
      "get": {
        "summary": "The tenant's metrics across campaigns, read from the hourly rollups (default granularity day)",
        "parameters": [
          {
            "in": "query",
            "name": "from",
            "schema": {
              "type": "string",
              "format": "date-time"
            },
            "description": "Default: 7 days before to"
          },
          {
            "in": "query",
            "name": "to",
            "schema": {
              "type": "string",
              "format": "date-time"
            },
            "description": "Default: the end of the current hour"
          },
          {
            "in": "query",
            "name": "granularity",
            "schema": {
              "type": "string",
              "enum": [
                "hour",
                "day"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Metrics"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ]
      }
    },
    "/api/v1/billing/usage": {
      "get": {
        "summary": "The month's running totals priced as its report will be (owners and admins)",
        "parameters": [
          {
            "in": "query",
            "name": "period",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{4}-[0-9]{2}$"
            },
            "description": "Default: the current month (UTC)"
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BillingReport"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ]
      }
    },
    "/api/v1/billing/reports": {
      "get": {
        "summary": "Frozen reports of closed months, newest first (owners and admins)",
        "parameters": [
          {
            "in": "query",
            "name": "limit",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200
            }
          },
          {
            "in": "query",
            "name": "cursor",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BillingReportPage"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ]
      }
    },
    "/api/v1/billing/reports/{period}": {
      "get": {
        "summary": "A closed month's report, frozen when the month closed: the same bytes on every fetch (owners and admins)",
        "parameters": [
          {
            "in": "path",
            "name": "period",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{4}-[0-9]{2}$"
            }
          },
          {
            "in": "query",
            "name": "format",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "csv",
                "html"
              ],
              "default": "json"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The report as JSON, CSV (download) or a printable HTML page",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BillingReport"
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              },
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ]
      }
    },
    "/api/v1/admin/billing/reports/{period}": {
      "get": {
        "summary": "Every tenant's report of a closed month as one CSV (operators)",
        "parameters": [
          {
            "in": "path",
            "name": "period",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{4}-[0-9]{2}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "CSV",
            "content": {
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "422": {
            "$ref": "#/components/responses/Error"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          }
        },
        "security": [
          {
            "bearer": []
          }
        ]
      }
    }
  },
  "servers": [
    {
      "url": "/"
    }
  ]
}
"""#
}
