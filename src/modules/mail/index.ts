export { isEmailAddress, isMailbox } from './address.js';
export {
  isCapturedMailId,
  listCapturedMail,
  readCapturedMail,
  type CapturedMail,
} from './capture.js';
export {
  createMailer,
  InvalidMailError,
  MailDeliveryError,
  type MailAttachment,
  type Mailer,
  type MailMessage,
} from './mailer.js';
