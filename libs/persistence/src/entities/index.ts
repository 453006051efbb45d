import { AuditEventEntity } from './audit-event.entity.js';
import { CheckpointEntity } from './checkpoint.entity.js';
import { ContactEntity } from './contact.entity.js';
import { ConversationEntity } from './conversation.entity.js';
import { InboundItemEntity } from './inbound-item.entity.js';
import { OutboundMessageEntity } from './outbound-message.entity.js';
import { SettingEntity } from './setting.entity.js';
import { StrikeEntity } from './strike.entity.js';
import { UserEntity } from './user.entity.js';

export {
  AuditEventEntity,
  CheckpointEntity,
  ContactEntity,
  ConversationEntity,
  InboundItemEntity,
  OutboundMessageEntity,
  SettingEntity,
  StrikeEntity,
  UserEntity,
};

export const ENTITIES = [
  AuditEventEntity,
  CheckpointEntity,
  ContactEntity,
  ConversationEntity,
  InboundItemEntity,
  OutboundMessageEntity,
  SettingEntity,
  StrikeEntity,
  UserEntity,
];
